package io.mnisttf.savedmodel.internal.worker;

import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.WorkerLimits;
import java.nio.file.Path;
import java.util.Map;
import io.mnisttf.savedmodel.WorkerLimits;

/**
 * Says in one line how a model worker died, from its exit status and its captured standard error:
 * {@code TensorFlow aborted while loading the model (SIGABRT: Check failed: 0 <= new_num_elements)}.
 */
public final class WorkerDeath {
  private static final Map<Integer, String> SIGNALS = Map.of(4, "SIGILL", 6, "SIGABRT", 7, "SIGBUS", 8, "SIGFPE",
      9, "SIGKILL", 11, "SIGSEGV", 15, "SIGTERM", 2, "SIGINT", 24, "SIGXCPU", 25, "SIGXFSZ");
  /** The JVM's exit code under {@code -XX:+ExitOnOutOfMemoryError}. */
  public static final int EXIT_OUT_OF_MEMORY = 3;

  private WorkerDeath() {}

  /** Whether the worker died of a signal, a JVM crash or running out of Java heap (rather than exiting). */
  public static boolean crashed(int exitCode, WorkerStderr stderr) {
    return exitCode > 128 || stderr.jvmSignal() != null || exitCode == EXIT_OUT_OF_MEMORY;
  }

  /**
   * The worker's death as an exception: {@code MEMORY_LIMIT} when it died of an allocation that failed under its
   * memory limit, {@code WORKER_FAILED} otherwise.
   *
   * @param exitCode the worker's exit value (128 + n for signal n)
   * @param phase {@code "while loading the model"}, ...
   */
  public static SavedModelException exception(Path model, int exitCode, String phase, WorkerStderr stderr,
      WorkerLimits limits) {
    String detail = stderr.meaningful();
    boolean allocation = detail != null && (detail.contains("bad_alloc") || detail.contains("llocat"));
    return new SavedModelException(model, allocation ? SavedModelException.Kind.MEMORY_LIMIT
        : SavedModelException.Kind.WORKER_FAILED, describe(exitCode, phase, stderr, limits));
  }

  /**
   * @param exitCode the worker's exit value (128 + n for signal n)
   * @param phase {@code "while loading the model"}, ...
   */
  public static String describe(int exitCode, String phase, WorkerStderr stderr, WorkerLimits limits) {
    String detail = stderr.meaningful();
    String signal = exitCode > 128 ? SIGNALS.getOrDefault(exitCode - 128, "signal " + (exitCode - 128)) : null;
    if (stderr.jvmSignal() != null) {
      signal = stderr.jvmSignal(); // the JVM caught it, reported it and aborted
      if (detail == null && stderr.jvmFrame() != null) {
        detail = "in " + stderr.jvmFrame();
      }
    }
    String memoryHint = detail != null && (detail.contains("bad_alloc") || detail.contains("llocat"))
        ? "; the worker's memory is limited to " + (limits.memoryBytes() >> 20) + " MB" : "";
    if (signal == null) {
      if (exitCode == EXIT_OUT_OF_MEMORY && detail != null && detail.contains("OutOfMemoryError")) {
        return "the model ran out of the worker's " + (WorkerLimits.HEAP_BYTES >> 20) + " MB of Java heap " + phase;
      }
      if (exitCode == WorkerMain.EXIT_PROTOCOL) {
        return "the model worker broke the protocol " + phase;
      }
      return "the model worker exited with code " + exitCode + " " + phase + (detail == null ? "" : " (" + detail + ")");
    }
    String why = signal + (detail == null ? "" : ": " + detail) + memoryHint;
    if (signal.equals("SIGABRT")) {
      return "TensorFlow aborted " + phase + " (" + why + ")";
    }
    if (signal.equals("SIGKILL")) {
      return "the model worker was killed " + phase + " (" + why + ")";
    }
    return "the model worker crashed " + phase + " (" + why + ")";
  }
}
