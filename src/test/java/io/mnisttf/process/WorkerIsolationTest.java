package io.mnisttf.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.testing.Fixtures;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The model worker seen from outside: TensorFlow's log stays in it, and Ctrl-C of the tool ends it. */
class WorkerIsolationTest {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final String MODEL = Fixtures.pythonModel("keras2-mlp-200-60-tf212").toString();

  @Test
  void tensorFlowsLogStaysInTheWorker() throws Exception {
    try (ChildJvm child = ChildJvm.start("evaluate", "--model", MODEL)) {
      assertEquals(0, child.awaitExit(LIMIT), child::toString);
      assertEquals(List.of(), child.stderr(), "nothing on stderr: " + child);
      assertTrue(child.stdout().stream().anyMatch(l -> l.startsWith("Test: loss")), child::toString);
    }
  }

  @Test
  void ctrlCOfTheToolEndsTheWorker() throws Exception {
    try (ChildJvm child = ChildJvm.start("evaluate", "--model", MODEL, "--verbose")) {
      child.awaitStderr(line -> line.startsWith("worker: "), LIMIT);
      List<ProcessHandle> workers = ProcessHandle.of(child.pid()).orElseThrow().descendants().toList();
      assertTrue(!workers.isEmpty(), "a worker runs: " + child);
      child.signal("INT");
      child.awaitExit(LIMIT);
      for (ProcessHandle worker : workers) {
        worker.onExit().get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(!worker.isAlive(), "worker " + worker.pid() + " ended");
      }
    }
  }
}
