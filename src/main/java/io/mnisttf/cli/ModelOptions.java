package io.mnisttf.cli;

import io.mnisttf.savedmodel.Classifier;
import io.mnisttf.savedmodel.ClassifierDescription;
import io.mnisttf.savedmodel.ClassifierOptions;
import io.mnisttf.savedmodel.Classifiers;
import io.mnisttf.savedmodel.WorkerLimits;
import io.mnisttf.util.BackgroundTask;
import java.io.IOException;
import java.io.PrintWriter;
import io.mnisttf.savedmodel.InputScale;
import io.mnisttf.savedmodel.WorkerLimits;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The options of the commands that load and run a SavedModel ({@code evaluate}, {@code predict}). */
final class ModelOptions {
  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "SavedModel folder (or a TF Serving base folder: its highest version is used).")
  Path model;

  @Mixin ModelSelectionOptions selection;

  @Option(names = "--input-scale", paramLabel = "auto|unit|byte",
      description = "Pixel range the model expects: unit [0,1], byte 0..255, or auto: from the export's contract,"
          + " else decided on " + ClassifierOptions.CALIBRATION_SAMPLES_DEFAULT + " training images.")
  InputScale inputScale = InputScale.AUTO;

  @Option(names = "--allow-unsafe-ops",
      description = "Load the model even when its graph holds ops that touch files, the network or"
          + " processes. Only for models you trust: loading runs the model's ops.")
  boolean allowUnsafeOps;

  @Option(names = "--in-process",
      description = "Load and run the model in this process instead of a worker process. Only for models you"
          + " trust: a malformed model can then abort or hang the whole tool.")
  boolean inProcess;

  @Option(names = "--load-timeout", paramLabel = "SECONDS",
      description = "Longest time the worker may take to load and calibrate the model.")
  double loadTimeout = WorkerLimits.LOAD_TIMEOUT_DEFAULT.toSeconds();

  @Option(names = "--batch-timeout", paramLabel = "SECONDS",
      description = "Longest time the worker may take for one batch of images.")
  double batchTimeout = WorkerLimits.BATCH_TIMEOUT_DEFAULT.toSeconds();

  @Option(names = "--worker-memory", paramLabel = "MB",
      description = "Memory the worker may use, Java heap and native together; a model that needs more is"
          + " stopped with an error.")
  long workerMemory = WorkerLimits.MEMORY_DEFAULT >> 20;

  /** The worker's limits from the options; a bad value is a usage error naming the option. */
  WorkerLimits workerLimits(CommandLine cli) {
    if (!(loadTimeout > 0) || !(batchTimeout > 0) || Double.isInfinite(loadTimeout) || Double.isInfinite(batchTimeout)) {
      throw new ParameterException(cli, "--load-timeout/--batch-timeout: must be positive"
          + " seconds, got " + loadTimeout + " and " + batchTimeout);
    }
    if (workerMemory > (1L << 40)) {
      throw new ParameterException(cli, "--worker-memory: " + workerMemory + " MB is too large");
    }
    try {
      return new WorkerLimits(Duration.ofMillis(Math.max(1, Math.round(loadTimeout * 1000))),
          Duration.ofMillis(Math.max(1, Math.round(batchTimeout * 1000))), workerMemory << 20);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cli, "--worker-memory: " + e.getMessage());
    }
  }

  /**
   * The classifier options these flags give: isolation, the worker's limits and log, what to call, the scale.
   *
   * @param common {@code --verbose} shows the worker's log on standard error
   * @throws ParameterException (a usage error) when the model selection is inconsistent
   *     ({@link ModelSelectionOptions#applyTo}) or a limit is not valid
   */
  ClassifierOptions classifierOptions(CommandLine commandLine, CommonOptions common) {
    ClassifierOptions base = ClassifierOptions.DEFAULTS
        .withIsolation(inProcess ? ClassifierOptions.Isolation.IN_PROCESS : ClassifierOptions.Isolation.WORKER)
        .withLimits(workerLimits(commandLine)).withWorkerLog(WorkerLogs.sink(commandLine.getErr(), common.verbose))
        .withInputScale(inputScale).withAllowUnsafeOps(allowUnsafeOps);
    return selection.applyTo(base, commandLine);
  }

  /**
   * Opens the model on a second thread, so that the command can read its images meanwhile: the one way
   * {@code evaluate} and {@code predict} open a model. {@link #opened} takes the classifier.
   */
  BackgroundTask<Classifier> startOpening(ClassifierOptions options) {
    return BackgroundTask.start("model-open", () -> Classifiers.open(model, options), Classifier::close);
  }

  /**
   * The classifier the opening gave; when the user allowed unsafe ops and the model has some, a warning on
   * standard error first.
   */
  static Classifier opened(BackgroundTask<Classifier> opening, PrintWriter err) throws IOException {
    Classifier classifier = opening.takeIo();
    ClassifierDescription description = classifier.description();
    if (description.unsafeOpsAllowed()) {
      err.println("warning: the model holds unsafe ops, allowed by --allow-unsafe-ops: " + description.unsafeOps());
      err.flush();
    }
    return classifier;
  }
}
