package io.mnisttf.savedmodel.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.WorkerLimits;

/**
 * Every way a worker can misbehave ends as one line naming the model, and the worker is gone afterwards:
 * a native abort, a JVM crash (SIGSEGV), a hang, garbage on the pipe, an early exit, Java heap and native
 * memory exhaustion, a flood of log lines, and an error reply.
 */
class WorkerProcessTest {
  private static final Path MODEL = Path.of("some", "model");
  private static final WorkerLimits LIMITS = WorkerLimits.DEFAULTS.withLoadTimeout(Duration.ofSeconds(20))
      .withMemoryBytes(1L << 30);

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "abort   | TensorFlow aborted while loading the model (SIGABRT: Check failed: 0 <= new_num_elements (0 vs. -1))",
      "segv    | the model worker crashed while loading the model (SIGSEGV",
      "garbage | the model worker broke the protocol while loading the model (garbage instead of a frame",
      "exit    | the model worker exited with code 7 while loading the model (INVALID_ARGUMENT: NodeDef mentions",
      "heap    | the model ran out of the worker's 512 MB of Java heap while loading the model",
      "native  | memory",
      "flood   | TensorFlow aborted while loading the model (SIGABRT: std::bad_alloc; the worker's memory is limited to 1024 MB",
      "error   | some/model: refused by the worker"})
  void misbehaviourBecomesOneLine(String mode, String expected) throws Exception {
    List<String> log = new CopyOnWriteArrayList<>();
    WorkerProcess worker = WorkerLauncher.startOther(MisbehavingWorker.class.getName(), List.of(mode), MODEL, LIMITS,
        log::add);
    try {
      SavedModelException e = assertThrows(SavedModelException.class,
          () -> worker.await(Frame.Type.HELLO, LIMITS.loadTimeout(), "while loading the model",
              SavedModelException.Kind.LOAD_TIMEOUT));
      String message = e.getMessage();
      assertFalse(message.contains("\n"), message);
      assertTrue(message.startsWith(MODEL + ": ") || mode.equals("error"), message);
      assertTrue(message.contains(expected), "'" + expected + "' expected in: " + message + "\nworker log:\n"
          + String.join("\n", log.subList(0, Math.min(30, log.size()))));
      if (mode.equals("flood")) {
        assertTrue(log.size() >= 20_000, "every line reaches the log sink: " + log.size());
      }
    } finally {
      worker.close();
    }
    assertFalse(ProcessHandle.of(worker.pid()).map(ProcessHandle::isAlive).orElse(false), "worker reaped");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"hang"})
  void aHangEndsAtTheTimeout(String mode) throws Exception {
    WorkerLimits limits = LIMITS.withLoadTimeout(Duration.ofMillis(1500));
    WorkerProcess worker = WorkerLauncher.startOther(MisbehavingWorker.class.getName(), List.of(mode), MODEL, limits,
        line -> { });
    try {
      SavedModelException e = assertThrows(SavedModelException.class,
          () -> worker.await(Frame.Type.HELLO, limits.loadTimeout(), "while loading the model",
              SavedModelException.Kind.LOAD_TIMEOUT));
      assertEquals(MODEL + ": the model took longer than 1.5 s while loading the model; the worker was stopped",
          e.getMessage());
      assertEquals(SavedModelException.Kind.LOAD_TIMEOUT, e.kind());
      assertFalse(ProcessHandle.of(worker.pid()).map(ProcessHandle::isAlive).orElse(false), "killed at the timeout");
    } finally {
      worker.close();
    }
  }
}
