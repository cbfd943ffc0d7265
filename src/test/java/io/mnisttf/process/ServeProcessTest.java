package io.mnisttf.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.testing.TestModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} as a process: it prints where it listens, answers, and on SIGTERM finishes, stops its model
 * worker and exits 0. (That the requests in flight are finished first is ServeRestTest's.)
 */
class ServeProcessTest {
  private static final Pattern LISTENING = Pattern.compile("^Listening at (http://\\S+) \\(REST API: /v1/models/mnist, page: /\\); Ctrl-C stops$");

  @Test
  void sigtermStopsTheServerAndItsWorkerWithExitCodeZero(@TempDir Path dir) throws Exception {
    TestModel.linear().export(dir.resolve("mnist").resolve("1"));
    try (ChildJvm serve = ChildJvm.start("serve", "--model", dir.resolve("mnist").toString(), "--port", "0")) {
      Matcher listening = LISTENING.matcher(serve.awaitStdout(line -> LISTENING.matcher(line).find(),
          Duration.ofSeconds(120)));
      assertTrue(listening.find());
      URI uri = URI.create(listening.group(1));
      assertEquals("127.0.0.1", uri.getHost(), "loopback unless --host says otherwise");
      List<Long> workers = ProcessHandle.of(serve.pid()).orElseThrow().descendants().map(ProcessHandle::pid).toList();
      assertFalse(workers.isEmpty(), "the model runs in a worker process");
      HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          uri.resolve("v1/models/mnist")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, status.statusCode());
      assertTrue(status.body().contains("\"state\": \"AVAILABLE\""), status.body());

      serve.signal("TERM");
      assertEquals(0, serve.awaitExit(Duration.ofSeconds(60)), serve.toString());
      assertTrue(serve.stderr().contains("Stopped."), serve.toString());
      for (long pid : workers) {
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
      }
    }
  }
}
