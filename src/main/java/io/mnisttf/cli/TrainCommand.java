package io.mnisttf.cli;

import io.mnisttf.RunOptions;
import io.mnisttf.RunResult;
import io.mnisttf.TrainingRun;
import io.mnisttf.data.DataConfig;
import io.mnisttf.data.Mnist;
import io.mnisttf.model.AdamConfig;
import io.mnisttf.model.ModelConfig;
import io.mnisttf.train.EarlyStopping;
import io.mnisttf.train.EpochMetrics;
import io.mnisttf.train.Metrics;
import io.mnisttf.train.TrainConfig;
import io.mnisttf.train.TrainingListener;
import io.mnisttf.train.TrainingResult;
import io.mnisttf.util.ProcessMemory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code train}: the tutorial's training run, with its hyper-parameters as options. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Train the tutorial's network on MNIST, report validation and test metrics, export a "
        + "SavedModel and record the run.",
    showDefaultValues = true)
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data", paramLabel = "DIR", description = "Folder with the four MNIST IDX files.")
  Path data = Mnist.DEFAULT_DIR;

  @Option(names = "--epochs", paramLabel = "N", description = "Maximum number of epochs.")
  int epochs = TrainConfig.EPOCHS_DEFAULT;

  @Option(names = "--batch-size", paramLabel = "N", description = "Examples per training step.")
  int batchSize = TrainConfig.BATCH_SIZE_DEFAULT;

  @Option(names = "--hidden-units", paramLabel = "N,N", split = ",",
      description = "Width of each hidden layer.")
  List<Integer> hiddenUnits = ModelConfig.HIDDEN_UNITS_DEFAULT;

  @Option(names = "--learning-rate", paramLabel = "LR", description = "Adam's learning rate.")
  float learningRate = AdamConfig.LEARNING_RATE_DEFAULT;

  @Option(names = "--validation-split", paramLabel = "F",
      description = "Share of the training examples held out for validation.")
  double validationSplit = DataConfig.VALIDATION_FRACTION_DEFAULT;

  @Option(names = "--shuffle-buffer", paramLabel = "N", description = "Shuffle buffer size (tf.data semantics).")
  int shuffleBuffer = TrainConfig.SHUFFLE_BUFFER_DEFAULT;

  @Option(names = "--patience", paramLabel = "N",
      description = "Early stopping: epochs without val_loss improvement before stopping.")
  int patience = EarlyStopping.Config.PATIENCE_DEFAULT;

  @Option(names = "--min-delta", paramLabel = "D",
      description = "Early stopping: smallest val_loss decrease that counts as an improvement.")
  double minDelta = 0.0;

  @Option(names = "--seed", paramLabel = "N",
      description = "Seed of the validation split, the shuffle and the weight initialisation.")
  long seed = TrainConfig.SEED_DEFAULT;

  @Option(names = "--limit", paramLabel = "N",
      description = "Use only the first N training examples (0: all), for quick runs.")
  int limit = 0;

  @Option(names = "--export-dir", paramLabel = "DIR",
      description = "Export the trained model as a SavedModel into the next numbered version folder here "
          + "(TensorFlow Serving's layout).")
  Path exportDir = Path.of("saved-models", "mnist");

  @Option(names = "--no-export", description = "Do not export a SavedModel.")
  boolean noExport;

  @Option(names = "--runs-dir", paramLabel = "DIR",
      description = "Each run records its configuration, history, curves and metrics in a new folder "
          + "<DIR>/<timestamp>.")
  Path runsDir = RunOptions.RUNS_DIR_DEFAULT;

  @Option(names = "--logdir", paramLabel = "DIR",
      description = "Also write TensorBoard event files here (train/ and validation/).")
  Path logdir;

  @Option(names = "--checkpoint-dir", paramLabel = "DIR",
      description = "Save a checkpoint (weights, optimizer state, early-stopping state) after every epoch here.")
  Path checkpointDir;

  @Option(names = "--resume", paramLabel = "DIR",
      description = "Continue the run whose checkpoints are in DIR, with its settings (--epochs may extend it).")
  Path resume;

  @Option(names = "--quiet", description = "Print nothing but the result.")
  boolean quiet;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    RunOptions options = resume == null ? optionsFromFlags() : optionsFromCheckpoint();
    try (Interrupts interrupts = Interrupts.install(spec.commandLine().getErr());
        TrainingRun run = resume == null ? TrainingRun.start(options) : TrainingRun.resume(resume, options)) {
      return train(run, interrupts);
    }
  }

  private RunOptions optionsFromFlags() {
    try {
      requirePositive("--epochs", epochs);
      requirePositive("--batch-size", batchSize);
      requirePositive("--shuffle-buffer", shuffleBuffer);
      requirePositive("--patience", patience);
      if (limit < 0) {
        throw usage("--limit must be 0 (all) or a positive number, got " + limit);
      }
      for (int units : hiddenUnits) {
        requirePositive("--hidden-units", units);
      }
      if (!(validationSplit > 0 && validationSplit < 1)) {
        throw usage("--validation-split must be greater than 0 and less than 1, got " + validationSplit);
      }
      if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
        throw usage("--learning-rate must be a positive number, got " + learningRate);
      }
      if (!(minDelta >= 0)) {
        throw usage("--min-delta must be 0 or positive, got " + minDelta);
      }
      return outputs(new RunOptions(new DataConfig(data, validationSplit, seed, limit),
          new TrainConfig(epochs, batchSize, shuffleBuffer, seed, new ModelConfig(hiddenUnits),
              AdamConfig.DEFAULTS.withLearningRate(learningRate)),
          new EarlyStopping.Config(EarlyStopping.Config.MONITOR_DEFAULT, minDelta, patience, true),
          null, null, checkpointDir));
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  /** A resumed run: the checkpoint's settings, with --epochs, --data and the outputs as given. */
  private RunOptions optionsFromCheckpoint() throws IOException {
    List<String> fixed = RESUME_FIXED_OPTIONS.stream()
        .filter(name -> spec.commandLine().getParseResult().hasMatchedOption(name)).toList();
    if (!fixed.isEmpty()) {
      throw usage("--resume continues with the checkpoint's settings; " + String.join(", ", fixed)
          + " cannot be changed (only --epochs, --data and the output options can)");
    }
    RunOptions options = TrainingRun.resumeOptions(resume);
    if (matched("--epochs")) {
      requirePositive("--epochs", epochs);
      options = options.withTrain(options.train().withEpochs(epochs));
    }
    if (matched("--data")) {
      DataConfig d = options.data();
      options = options.withData(new DataConfig(data, d.validationFraction(), d.seed(), d.limit()));
    }
    return outputs(options.withCheckpointDir(checkpointDir != null ? checkpointDir : resume));
  }

  private RunOptions outputs(RunOptions options) {
    return options.withRunsDir(runsDir).withLogdir(logdir);
  }

  private boolean matched(String option) {
    return spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  private static final List<String> RESUME_FIXED_OPTIONS = List.of("--batch-size", "--hidden-units",
      "--learning-rate", "--validation-split", "--shuffle-buffer", "--patience", "--min-delta", "--seed",
      "--limit");

  /** Trains, then prints and exports what the run gives. */
  private int train(TrainingRun run, Interrupts interrupts) throws IOException {
    PrintWriter log = common.json ? spec.commandLine().getErr() : spec.commandLine().getOut();
    TrainingRun.Startup startup = run.startup();
    info(log, String.format(Locale.ROOT,
        "Loaded MNIST from %s in %.2fs: %d training, %d validation, %d test examples", run.options().data().dataDir(),
        startup.dataSeconds(), startup.trainExamples(), startup.validationExamples(), startup.testExamples()));
    if (startup.resumedFrom() != null) {
      info(log, "Resumed from " + startup.resumedFrom() + " after epoch " + startup.resumedEpochs());
    }
    interrupts.onFirstSignal(run::stopAfterCurrentStep, "Stopping after the current step");
    RunResult result = run.fit(List.of(progress(log)));
    interrupts.onFirstSignal(() -> { }, "Finishing evaluation and export");
    TrainingResult training = result.training();
    if (training.diverged()) {
      throw new IllegalStateException("training diverged: " + training.stopReason() + "; nothing was exported"
          + " (a smaller --learning-rate may help)");
    }
    if (training.stoppedEarly()) {
      info(log, (training.interrupted() ? "Interrupted: " : "Early stopping: ") + training.stopReason());
    }
    if (!result.trained()) {
      result(log, "No epoch completed: nothing to evaluate or export.");
      return Interrupts.EXIT_INTERRUPTED;
    }
    info(log, String.format(Locale.ROOT, "Restored the weights of epoch %d (best %s %.4f)", result.bestEpoch(),
        run.options().earlyStopping().monitor(), result.best().get(run.options().earlyStopping().monitor())));
    Metrics test = result.test();
    result(log, String.format(Locale.ROOT, "Test: loss %.4f - accuracy %.4f (%d examples)", test.loss(),
        test.accuracy(), test.examples()));
    info(log, String.format(Locale.ROOT, "Trained %d epoch(s) in %.2fs, %.0f samples/s", result.epochsTrained(),
        training.trainSeconds(), training.samplesPerSecond()));
    Path exported = null;
    long exportStart = System.nanoTime();
    if (!noExport) {
      exported = run.exportSavedModel(exportDir);
      result(log, (training.interrupted() ? "Exported the best model so far: " : "Exported SavedModel: ") + exported);
    }
    double exportSeconds = (System.nanoTime() - exportStart) / 1e9;
    info(log, "Run recorded in " + result.runDir());
    log.flush();
    if (common.json) {
      Timings timings = new Timings(startup.dataSeconds(), startup.graphSeconds(), result.firstStepSeconds(),
          result.steadyStepMillis(), result.epochSeconds(), result.testSeconds(), exportSeconds,
          new Stopwatch().sinceJvmStart());
      EpochMetrics best = result.best();
      PrintWriter out = spec.commandLine().getOut();
      out.println(Json.line(new TrainSummary(training.epochsRun(), training.stoppedEarly(), training.stopReason(),
          training.interrupted(), result.bestEpoch(), best.valLoss(), best.valAccuracy(), test.loss(),
          test.accuracy(), training.trainSeconds(), training.samplesPerSecond(),
          exported == null ? null : exported.toString(), String.valueOf(result.runDir()), timings,
          ProcessMemory.peakRssBytes().stream().mapToObj(b -> b / (1024 * 1024)).findFirst().orElse(null))));
      out.flush();
    }
    return training.interrupted() ? Interrupts.EXIT_INTERRUPTED : 0;
  }

  /**
   * The JSON summary's fields (snake_case in the output). {@code valLoss} and {@code valAccuracy} are the
   * best epoch's, whose weights are evaluated and exported.
   */
  record TrainSummary(int epochsRun, boolean stoppedEarly, String stopReason, boolean interrupted, int bestEpoch,
      double valLoss, double valAccuracy, double testLoss, double testAccuracy, double trainSeconds,
      double samplesPerSecond, String exportDir, String runDir, Timings timings, Long peakRssMb) {}

  /** Where the time of a run went, in seconds unless named otherwise. */
  record Timings(double dataLoadSeconds, double graphBuildSeconds, double firstStepSeconds, double steadyStepMs,
      List<Double> epochSeconds, double testEvalSeconds, double exportSeconds, double totalSeconds) {}

  /** Epoch lines: a live bar on an interactive terminal, plain lines otherwise, nothing with --quiet. */
  private TrainingListener progress(PrintWriter log) {
    if (quiet) {
      return new TrainingListener() {};
    }
    if (Terminal.isInteractive()) {
      return new ProgressBarLogger(log);
    }
    return new EpochLogger(log);
  }

  private void info(PrintWriter log, String line) {
    if (!quiet) {
      log.println(line);
      log.flush();
    }
  }

  private void result(PrintWriter log, String line) {
    if (!quiet || !common.json) {
      log.println(line);
      log.flush();
    }
  }

  private void requirePositive(String option, long value) {
    if (value < 1) {
      throw usage(option + " must be a positive integer, got " + value);
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
