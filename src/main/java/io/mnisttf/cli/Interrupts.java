package io.mnisttf.cli;

import io.mnisttf.runtime.QuietTensorFlow;
import io.mnisttf.util.PendingFiles;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM during {@code train}: the first asks the current phase to wind down gracefully
 * (training stops at the end of the current step, then the best weights so far are evaluated and
 * exported); the second ends the process at once with exit code 130, after letting a file or folder being
 * written finish its atomic publication (or deleting it, if that takes too long), so no partial file is left. Before training starts there is nothing to save, and the
 * first signal already ends the process.
 */
final class Interrupts implements AutoCloseable {
  static final int EXIT_INTERRUPTED = 130;
  private static final List<String> SIGNALS = List.of("INT", "TERM");
  /** How long quitting waits for a file being written (a checkpoint or export takes well under that). */
  private static final Duration FINISH_WRITE_PATIENCE = Duration.ofMillis(1500);

  private final PrintWriter err;
  private final List<Signal> signals = new ArrayList<>();
  private final List<SignalHandler> previous = new ArrayList<>();
  private volatile Runnable graceful;
  private volatile String gracefulMessage;
  private volatile boolean requested;

  private Interrupts(PrintWriter err) {
    this.err = err;
  }

  /** Installs the handlers; {@link #close} restores the previous ones. */
  static Interrupts install(PrintWriter err) {
    Interrupts interrupts = new Interrupts(err);
    for (String name : SIGNALS) {
      try {
        Signal signal = new Signal(name);
        interrupts.previous.add(Signal.handle(signal, interrupts::handle));
        interrupts.signals.add(signal);
      } catch (IllegalArgumentException unsupported) {
        // e.g. a signal the platform does not have, or one the JVM reserves: keep its default
      }
    }
    return interrupts;
  }

  /**
   * From now on the first signal runs {@code action} (which must return quickly) and prints
   * {@code message}; null restores the immediate exit.
   */
  void onFirstSignal(Runnable action, String message) {
    this.gracefulMessage = message;
    this.graceful = action;
  }

  /** Whether a signal has asked the run to stop. */
  boolean requested() {
    return requested;
  }

  private void handle(Signal signal) {
    Runnable action = graceful;
    if (!requested && action != null) {
      requested = true;
      err.println();
      err.println(gracefulMessage + " (press Ctrl-C again to quit at once)");
      err.flush();
      action.run();
      return;
    }
    QuietTensorFlow.release(); // halting runs no shutdown hook: pass captured standard error on now
    int deleted = PendingFiles.process().quitting(FINISH_WRITE_PATIENCE);
    err.println();
    err.println("Interrupted: quitting now" + (deleted > 0 ? ", removed " + deleted + " partial file(s)" : ""));
    err.flush();
    Runtime.getRuntime().halt(EXIT_INTERRUPTED);
  }

  @Override
  public void close() {
    for (int i = 0; i < signals.size(); i++) {
      Signal.handle(signals.get(i), previous.get(i));
    }
  }
}
