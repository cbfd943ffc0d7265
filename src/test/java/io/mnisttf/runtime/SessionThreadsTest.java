package io.mnisttf.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mnisttf.testing.ChildJava;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A session asking for 3 intra-op threads gets them after an earlier session with the default options, once
 * {@link SessionThreads#apply} ran; without it TensorFlow gives it the first session's pool (the control shows the
 * probe can tell). Each case runs in a fresh JVM without the test JVM's own {@code TF_OVERRIDE_GLOBAL_THREADPOOL}.
 */
class SessionThreadsTest {
  private static int newThreads(String... args) throws IOException, InterruptedException {
    List<String> command = ChildJava.command(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
        SessionThreadsProbe.class.getName(), args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().remove(SessionThreads.VARIABLE);
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, process.waitFor(), out);
    return Integer.parseInt(out);
  }

  @Test
  void eachSessionGetsTheIntraOpThreadsItAsksFor() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux's /proc to count threads");
    assertEquals(3, newThreads("apply"));
    assertEquals(0, newThreads(), "without it, the later session shares the first session's pool");
  }
}
