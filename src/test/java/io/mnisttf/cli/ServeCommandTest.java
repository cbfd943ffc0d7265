package io.mnisttf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} on the command line: its options, its errors, and its bounded load benchmark on a real model. */
@ExtendWith(TrainedExport.class)
class ServeCommandTest {
  @Test
  void helpListsTheOptions() {
    CliRun run = CliRun.of("serve", "--help");
    assertEquals(0, run.exitCode(), run.toString());
    for (String option : new String[] {"--model", "--name", "--port", "--host", "--poll-seconds", "--workers",
        "--request-timeout", "--max-body-mb", "--label", "--batching", "--benchmark"}) {
      assertTrue(run.out().contains(option), option + "\n" + run.out());
    }
    assertTrue(run.out().contains("Default: 127.0.0.1") && run.out().contains("Default: 8501"), run.out());
  }

  @Test
  void badOptionsAreUsageErrors(@TempDir Path dir) {
    CliRun workers = CliRun.of("serve", "--model", dir.toString(), "--workers", "0");
    assertEquals(2, workers.exitCode(), workers.toString());
    assertEquals("error: --workers: 1 to 64, got 0", workers.errLines()[0]);
    CliRun label = CliRun.of("serve", "--model", dir.toString(), "--label", "stable");
    assertEquals(2, label.exitCode());
    assertEquals("error: --label: LABEL=VERSION expected, got \"stable\"", label.errLines()[0]);
    CliRun port = CliRun.of("serve", "--model", dir.toString(), "--port", "70000");
    assertEquals(2, port.exitCode());
    assertEquals("error: --port: 0 to 65535, got 70000", port.errLines()[0]);
  }

  @Test
  void aBasePathWithoutAVersionIsOneErrorLine(@TempDir Path dir) throws Exception {
    Path base = Files.createDirectories(dir.resolve("mnist"));
    CliRun run = CliRun.of("serve", "--model", base.toString(), "--port", "0");
    assertEquals(1, run.exitCode(), run.toString());
    assertEquals("error: " + base + ": no version folder (TF Serving serves numbered folders such as "
        + base.resolve("1") + ")", run.errLines()[run.errLines().length - 1]);
  }

  @Test
  void aPortInUseIsOneErrorLine(@TempDir Path dir) throws Exception {
    Path base = Files.createDirectories(dir.resolve("mnist").resolve("1")).getParent();
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      CliRun run = CliRun.of("serve", "--model", base.toString(), "--port", Integer.toString(taken.getLocalPort()));
      assertEquals(1, run.exitCode(), run.toString());
      assertEquals("error: cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (Address already in use; --port"
          + " chooses another port)", run.errLines()[run.errLines().length - 1]);
    }
  }

  @Test
  void theBenchmarkServesSixteenClientsWithoutAnError(TrainedExport.Model model) {
    CliRun run = CliRun.of("serve", "--model", model.dir().getParent().toString(), "--benchmark", "--clients", "16",
        "--requests", "10", "--json");
    assertEquals(0, run.exitCode(), run.toString());
    JsonObject json = run.json();
    assertEquals(16, json.get("clients").getAsInt());
    assertEquals(160, json.get("requests").getAsInt());
    assertEquals(0, json.get("errors").getAsInt(), run.toString());
    assertTrue(json.get("requests_per_second").getAsDouble() > 0);
    assertTrue(json.get("p99_ms").getAsDouble() >= json.get("p50_ms").getAsDouble());
    assertTrue(json.get("in_process_batch_images_per_second").getAsDouble() > 0);
    assertTrue(run.err().contains("Load: 16 clients x 10 single-image predicts"), run.err());
  }
}
