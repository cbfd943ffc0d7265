package io.mnisttf.cli;

import io.mnisttf.checkpoint.CheckpointException;
import io.mnisttf.checkpoint.CheckpointState;
import io.mnisttf.checkpoint.CheckpointStore;
import io.mnisttf.checkpoint.CheckpointWriter;
import io.mnisttf.data.DataConfig;
import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import io.mnisttf.export.SavedModelExporter;
import io.mnisttf.model.AdamConfig;
import io.mnisttf.model.ModelConfig;
import io.mnisttf.model.RegisteredOps;
import io.mnisttf.plots.TrainingCurves;
import io.mnisttf.runs.FinalMetrics;
import io.mnisttf.runs.RunRecorder;
import io.mnisttf.tensorboard.TensorBoardLogger;
import io.mnisttf.train.EarlyStopping;
import io.mnisttf.train.EpochMetrics;
import io.mnisttf.train.Metrics;
import io.mnisttf.train.StepTimer;
import io.mnisttf.train.TrainConfig;
import io.mnisttf.train.Trainer;
import io.mnisttf.train.TrainingListener;
import io.mnisttf.train.TrainingResult;
import io.mnisttf.util.BackgroundTask;
import io.mnisttf.util.ProcessMemory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.tensorflow.TensorFlow;
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
  Path runsDir = Path.of("runs");

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

  /** What the run folder's config.json records: every setting that shaped the run. */
  record RunConfig(DataConfig data, TrainConfig train, EarlyStopping.Config earlyStopping, Path exportDir,
      Path logdir, Path checkpointDir, Path resumedFrom, String tensorflowVersion) {}

  @Override
  public Integer call() throws Exception {
    Settings settings = resume == null ? settingsFromOptions() : settingsFromCheckpoint();
    try (Interrupts interrupts = Interrupts.install(spec.commandLine().getErr())) {
      return run(settings, interrupts);
    }
  }

  /** The run's configuration, and the checkpoint it continues (null for a new run). */
  private record Settings(DataConfig data, TrainConfig train, EarlyStopping.Config earlyStopping,
      CheckpointStore.Loaded resumed, Path checkpointDir) {}

  private Settings settingsFromOptions() {
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
      return new Settings(new DataConfig(data, validationSplit, seed, limit),
          new TrainConfig(epochs, batchSize, shuffleBuffer, seed, new ModelConfig(hiddenUnits),
              AdamConfig.DEFAULTS.withLearningRate(learningRate)),
          new EarlyStopping.Config(EarlyStopping.Config.MONITOR_DEFAULT, minDelta, patience, true), null,
          checkpointDir);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  /**
   * A resumed run takes its configuration from the checkpoint; only --epochs (to train longer) and the
   * options about where things go may be given.
   */
  private Settings settingsFromCheckpoint() throws IOException {
    List<String> fixed = RESUME_FIXED_OPTIONS.stream()
        .filter(name -> spec.commandLine().getParseResult().hasMatchedOption(name)).toList();
    if (!fixed.isEmpty()) {
      throw usage("--resume continues with the checkpoint's settings; " + String.join(", ", fixed)
          + " cannot be changed (only --epochs, --data and the output options can)");
    }
    CheckpointStore.Loaded loaded = new CheckpointStore(resume).latest().orElseThrow(() ->
        new CheckpointException(resume, "no checkpoint found (epoch-NNNN folders written by --checkpoint-dir)"));
    CheckpointState state = loaded.state();
    TrainConfig train = state.train();
    if (spec.commandLine().getParseResult().hasMatchedOption("--epochs")) {
      requirePositive("--epochs", epochs);
      train = train.withEpochs(epochs);
    }
    if (state.epoch() >= train.epochs()) {
      throw new CheckpointException(loaded.folder(), "the run already completed " + state.epoch() + " of "
          + train.epochs() + " epochs; give --epochs N with N > " + state.epoch() + " to train longer");
    }
    if (state.monitor().epochsWithoutImprovement() >= state.earlyStopping().patience()) {
      throw new CheckpointException(loaded.folder(), "the run already stopped early after epoch "
          + state.epoch() + " (val_loss did not improve for " + state.earlyStopping().patience() + " epochs)");
    }
    DataConfig dataConfig = state.data();
    if (spec.commandLine().getParseResult().hasMatchedOption("--data")) {
      dataConfig = new DataConfig(data, dataConfig.validationFraction(), dataConfig.seed(), dataConfig.limit());
    }
    return new Settings(dataConfig, train, state.earlyStopping(), loaded,
        checkpointDir != null ? checkpointDir : resume);
  }

  private static final List<String> RESUME_FIXED_OPTIONS = List.of("--batch-size", "--hidden-units",
      "--learning-rate", "--validation-split", "--shuffle-buffer", "--patience", "--min-delta", "--seed",
      "--limit");

  private int run(Settings settings, Interrupts interrupts) throws Exception {
    DataConfig dataConfig = settings.data();
    TrainConfig trainConfig = settings.train();
    PrintWriter log = common.json ? spec.commandLine().getErr() : spec.commandLine().getOut();
    Stopwatch clock = new Stopwatch();
    // TensorFlow's native library loads and the graph is built on a second core while this one reads the data.
    Mnist mnist;
    MnistData.Split split;
    Trainer built;
    double dataSeconds;
    double graphSeconds;
    try (BackgroundTask<Trainer> building = BackgroundTask.start("tensorflow-init", () -> {
      Trainer trainer = new Trainer(trainConfig);
      try {
        trainer.warmUp();
        return trainer;
      } catch (RuntimeException e) {
        trainer.close();
        throw e;
      }
    }, Trainer::close)) {
      mnist = Mnist.load(dataConfig.dataDir());
      dataSeconds = clock.lap();
      MnistData pool = dataConfig.limit() > 0 ? mnist.train().first(dataConfig.limit()) : mnist.train();
      if (pool.size() < 2) {
        throw new IllegalArgumentException("--limit " + dataConfig.limit() + " leaves " + pool.size()
            + " training example(s); at least 2 are needed for a training and a validation part");
      }
      split = pool.split(dataConfig.validationCount(pool.size()), dataConfig.seed());
      info(log, String.format(Locale.ROOT,
          "Loaded MNIST from %s in %.2fs: %d training, %d validation, %d test examples", dataConfig.dataDir(),
          dataSeconds, split.trainIndices().length, split.validationIndices().length, mnist.test().size()));
      built = building.take();
      graphSeconds = building.seconds();
      clock.lap();
    }

    EarlyStopping earlyStopping = new EarlyStopping(settings.earlyStopping());
    StepTimer stepTimer = new StepTimer();
    List<EpochMetrics> previous = settings.resumed() == null ? List.of() : settings.resumed().state().history();
    RunRecorder recorder = RunRecorder.inRoot(runsDir, new RunConfig(dataConfig, trainConfig,
        settings.earlyStopping(), noExport ? null : exportDir, logdir, settings.checkpointDir(),
        settings.resumed() == null ? null : settings.resumed().folder(), TensorFlow.version()))
        .continuing(previous);
    try (Trainer trainer = built;
        TensorBoardLogger tensorBoard = logdir == null ? null
            : new TensorBoardLogger(TensorBoardLogger.Config.of(logdir))) {
      List<TrainingListener> listeners = new ArrayList<>(List.of(progress(log), earlyStopping, stepTimer));
      if (settings.resumed() != null) {
        trainer.resume(settings.resumed().variablesPrefix(), previous);
        earlyStopping.resume(settings.resumed().state().monitor(), settings.resumed().bestWeights());
        info(log, "Resumed from " + settings.resumed().folder() + " after epoch " + previous.size());
      }
      if (settings.checkpointDir() != null) {
        listeners.add(new CheckpointWriter(new CheckpointStore(settings.checkpointDir()), dataConfig, trainConfig,
            earlyStopping, trainer::saveCheckpoint, TensorFlow.version(), previous));
      }
      listeners.add(recorder);
      if (tensorBoard != null) {
        listeners.add(tensorBoard);
      }
      interrupts.onFirstSignal(trainer::stopAfterCurrentStep, "Stopping after the current step");
      if (!noExport) { // the export needs the op definitions (0.2 s to read): read them on the idle core
        Thread ops = new Thread(RegisteredOps::names, "registered-ops");
        ops.setDaemon(true);
        ops.setPriority(Thread.MIN_PRIORITY);
        ops.start();
      }
      TrainingResult result = trainer.fit(split, listeners);
      interrupts.onFirstSignal(() -> { }, "Finishing evaluation and export");
      clock.lap();
      if (result.stoppedEarly()) {
        info(log, (result.interrupted() ? "Interrupted: " : "Early stopping: ") + result.stopReason());
      }
      if (result.epochs().isEmpty()) {
        result(log, "No epoch completed: nothing to evaluate or export.");
        return Interrupts.EXIT_INTERRUPTED;
      }
      if (earlyStopping.bestEpoch() > 0) {
        info(log, String.format(Locale.ROOT, "Restored the weights of epoch %d (best val_loss %.4f)",
            earlyStopping.bestEpoch(), earlyStopping.state().best()));
      }
      Metrics test = trainer.evaluate(mnist.test());
      double testSeconds = clock.lap();
      result(log, String.format(Locale.ROOT, "Test: loss %.4f - accuracy %.4f (%d examples)", test.loss(),
          test.accuracy(), test.examples()));
      info(log, String.format(Locale.ROOT, "Trained %d epoch(s) in %.2fs, %.0f samples/s",
          result.epochsRun() - previous.size(), result.trainSeconds(), result.samplesPerSecond()));
      Path exported = null;
      double exportSeconds;
      TrainingCurves curves = new TrainingCurves(result.epochs(), earlyStopping.bestEpoch(),
          settings.earlyStopping().monitor(), earlyStopping.stoppedEpoch(), caption(trainConfig));
      try (BackgroundTask<Path> plotting = BackgroundTask.start("training-curves", () -> {
        Path png = recorder.runDir().resolve(TrainingCurves.FILE_NAME);
        curves.write(png);
        return png;
      }, png -> { })) {
        if (!noExport) {
          exported = SavedModelExporter.export(trainConfig.model(), trainer::saveCheckpoint, exportDir);
          result(log, (result.interrupted() ? "Exported the best model so far: " : "Exported SavedModel: ")
              + exported);
        }
        exportSeconds = clock.lap();
        plotting.take();
      }
      recorder.finish(FinalMetrics.of(result, test, earlyStopping.bestEpoch()), exported);
      info(log, "Run recorded in " + recorder.runDir());
      log.flush();
      if (common.json) {
        EpochMetrics best = result.epochs().get(Math.max(0, earlyStopping.bestEpoch() - 1));
        Timings timings = new Timings(dataSeconds, graphSeconds, stepTimer.firstStepSeconds(),
            stepTimer.medianStepMillis(), result.epochs().subList(previous.size(), result.epochs().size()).stream()
                .map(EpochMetrics::seconds).toList(), testSeconds, exportSeconds, clock.sinceJvmStart());
        PrintWriter out = spec.commandLine().getOut();
        out.println(Json.line(new TrainSummary(result.epochsRun(), result.stoppedEarly(), result.stopReason(),
            result.interrupted(), earlyStopping.bestEpoch(), best.valLoss(), best.valAccuracy(), test.loss(),
            test.accuracy(), result.trainSeconds(), result.samplesPerSecond(),
            exported == null ? null : exported.toString(), recorder.runDir().toString(), timings,
            ProcessMemory.peakRssBytes().stream().mapToObj(b -> b / (1024 * 1024)).findFirst().orElse(null))));
        out.flush();
      }
      return result.interrupted() ? Interrupts.EXIT_INTERRUPTED : 0;
    }
  }

  /**
   * The JSON summary's fields (snake_case in the output). {@code valLoss} and {@code valAccuracy} are the
   * best epoch's, whose weights are evaluated and exported.
   */
  record TrainSummary(int epochsRun, boolean stoppedEarly, String stopReason, boolean interrupted, int bestEpoch,
      double valLoss,
      double valAccuracy, double testLoss, double testAccuracy, double trainSeconds, double samplesPerSecond,
      String exportDir, String runDir, Timings timings, Long peakRssMb) {}

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

  private static String caption(TrainConfig config) {
    String layers = config.model().hiddenUnits().stream().map(String::valueOf).collect(Collectors.joining("-"));
    return String.format(Locale.ROOT, "mnist-tf-java: 784-%s-10, Adam lr %s, batch %d, seed %d", layers,
        config.adam().learningRate(), config.batchSize(), config.seed());
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
