package io.mnisttf.savedmodel.internal.worker;

import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.WorkerLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * How a {@link WorkerProcess} comes to be: started with the current JVM's {@code java} and class path
 * ({@link WorkerCommand}), or taken from the one spare worker that {@link #prestart} started ahead of need, then
 * given its model and {@link WorkerLimits}.
 */
final class WorkerLauncher {
  private static final AtomicReference<WorkerProcess> SPARE = new AtomicReference<>();

  private WorkerLauncher() {}

  /**
   * Starts a worker ahead of need, so that its JVM and TensorFlow start while this process is still parsing
   * its command line; the next {@link #start} takes it. Only this tool's code runs in it until then. Does
   * nothing when a spare worker is already waiting; a failure to start is left for {@link #start} to report.
   */
  static void prestart() {
    if (SPARE.get() == null) {
      try {
        WorkerProcess spare = spawn(WorkerProcess.MAIN_CLASS, List.of());
        if (!SPARE.compareAndSet(null, spare)) {
          spare.close(false);
        }
      } catch (IOException | RuntimeException e) {
        // start() tries again and reports the problem
      }
    }
  }

  /**
   * A worker for {@code model} (named in error messages) under {@code limits}: the spare one when there is
   * one, else a new one.
   *
   * @param log receives each line of the worker's standard error
   */
  static WorkerProcess start(Path model, WorkerLimits limits, Consumer<String> log) throws SavedModelException {
    WorkerProcess worker = SPARE.getAndSet(null);
    if (worker == null || !worker.isAlive()) {
      if (worker != null) {
        worker.close(false);
      }
      try {
        worker = spawn(WorkerProcess.MAIN_CLASS, List.of());
      } catch (IOException | RuntimeException e) {
        throw new SavedModelException(model, SavedModelException.Kind.WORKER_FAILED,
            "cannot start the model worker (" + e.getMessage() + ")");
      }
    }
    worker.assign(model, limits, log);
    return worker;
  }

  /**
   * A worker running {@code mainClass} with {@code args} instead of {@link WorkerMain}, under the same JVM
   * options and limits: for tests of how the parent handles workers that misbehave.
   */
  static WorkerProcess startOther(String mainClass, List<String> args, Path model, WorkerLimits limits,
      Consumer<String> log) throws IOException, SavedModelException {
    WorkerProcess worker = spawn(mainClass, args);
    worker.assign(model, limits, log);
    return worker;
  }

  private static WorkerProcess spawn(String mainClass, List<String> args) throws IOException {
    List<String> command = WorkerCommand.java();
    command.set(command.size() - 1, mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("MALLOC_ARENA_MAX", "2");
    return new WorkerProcess(builder.start());
  }
}
