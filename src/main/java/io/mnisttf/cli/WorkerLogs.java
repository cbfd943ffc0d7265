package io.mnisttf.cli;

import java.io.PrintWriter;
import java.util.function.Consumer;

/** Where the model worker's standard error (TensorFlow's log) goes: nowhere, or with {@code --verbose} to ours. */
final class WorkerLogs {
  private WorkerLogs() {}

  static Consumer<String> sink(PrintWriter err, boolean verbose) {
    if (!verbose) {
      return line -> { };
    }
    return line -> {
      synchronized (err) {
        err.println("worker: " + line);
        err.flush();
      }
    };
  }
}
