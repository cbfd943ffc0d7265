package io.mnisttf;

import io.mnisttf.checkpoint.CheckpointException;
import io.mnisttf.checkpoint.CheckpointStore;
import io.mnisttf.checkpoint.CheckpointWriter;
import io.mnisttf.data.DataConfig;
import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import io.mnisttf.export.SavedModelExporter;
import io.mnisttf.runtime.RegisteredOps;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.tensorflow.TensorFlow;

/**
 * One training run of the tutorial's network, what the {@code train} command does, as a library: loads and
 * splits the data, trains with early stopping (and the caller's listeners), keeps the best epoch's weights,
 * scores them on the test set, records the run folder, saves checkpoints, and exports a SavedModel.
 *
 * <pre>{@code
 * try (TrainingRun run = TrainingRun.start(RunOptions.DEFAULTS)) {   // reads data/mnist, builds the graph
 *   RunResult result = run.fit(List.of());                           // about 97 % test accuracy
 *   Path model = run.exportSavedModel(Path.of("saved-models/mnist")); // saved-models/mnist/<next version>
 * }
 * }</pre>
 *
 * <p>A run is used once: {@link #start} (or {@link #resume}), one {@link #fit}, then any number of exports.
 * It owns a TensorFlow graph and session: close it. It is not thread-safe, except
 * {@link #stopAfterCurrentStep}, which any thread (a signal handler) may call.
 */
public final class TrainingRun implements AutoCloseable {
  /**
   * What starting a run found and how long it took.
   *
   * @param dataSeconds seconds to read and validate the four IDX files
   * @param graphSeconds seconds to load TensorFlow, build the graph and warm it up (on a second thread, while
   *     the data loaded)
   * @param trainExamples examples in the training part of the split
   * @param validationExamples examples held out for validation
   * @param testExamples examples in the test set
   */
  public record Startup(double dataSeconds, double graphSeconds, int trainExamples, int validationExamples,
      int testExamples) {}

  private final RunOptions options;
  private final CheckpointStore.Loaded resumed;
  private final Mnist data;
  private final MnistData.Split split;
  private final Trainer trainer;
  private final Startup startup;
  private final EarlyStopping earlyStopping;
  private RunRecorder recorder;
  private RunResult result;
  private FinalMetrics finalMetrics;

  private TrainingRun(RunOptions options, CheckpointStore.Loaded resumed, Mnist data, MnistData.Split split,
      Trainer trainer, Startup startup) {
    this.options = options;
    this.resumed = resumed;
    this.data = data;
    this.split = split;
    this.trainer = trainer;
    this.startup = startup;
    this.earlyStopping = new EarlyStopping(options.earlyStopping());
    if (resumed != null) {
      earlyStopping.resume(resumed.state().monitor(), resumed.bestWeights());
    }
  }

  /**
   * Starts a new run: reads the MNIST files of {@code options.data()} while TensorFlow loads and the graph is
   * built and initialised from the seed on a second thread.
   *
   * @throws io.mnisttf.data.MnistFormatException when a data file is missing or malformed (naming it)
   * @throws IllegalArgumentException when the example limit leaves fewer than 2 examples
   */
  public static TrainingRun start(RunOptions options) throws IOException {
    return start(options, null);
  }

  /**
   * Continues a checkpointed run after its last epoch: the weights, Adam's state, early stopping's progress and
   * the history come from {@code checkpoint}. {@code options} must hold the checkpoint's settings (start from
   * {@link RunOptions#of(CheckpointStore.Loaded)}); only the number of epochs, the data folder and the outputs
   * may differ. Stopping a run after epoch 2 and resuming it gives bit-identically the run that never stopped.
   *
   * @throws CheckpointException when the run already completed its epochs or stopped early
   * @throws IllegalArgumentException when {@code options} change a setting that shaped the run
   */
  public static TrainingRun resume(CheckpointStore.Loaded checkpoint, RunOptions options) throws IOException {
    options.requireResumable(checkpoint);
    return start(options, checkpoint);
  }

  private static TrainingRun start(RunOptions options, CheckpointStore.Loaded resumed) throws IOException {
    TrainConfig train = options.train();
    try (BackgroundTask<Trainer> building = BackgroundTask.start("tensorflow-init", () -> {
      Trainer trainer = new Trainer(train);
      try {
        trainer.warmUp();
        if (resumed != null) {
          trainer.resume(resumed.variablesPrefix(), resumed.state().history());
        }
        return trainer;
      } catch (RuntimeException | Error e) {
        trainer.close();
        throw e;
      }
    }, Trainer::close)) {
      long start = System.nanoTime();
      Mnist mnist = Mnist.load(options.data().dataDir());
      double dataSeconds = (System.nanoTime() - start) / 1e9;
      MnistData.Split split = split(mnist.train(), options.data());
      Trainer trainer = take(building);
      Startup startup = new Startup(dataSeconds, building.seconds(), split.trainIndices().length,
          split.validationIndices().length, mnist.test().size());
      return new TrainingRun(options, resumed, mnist, split, trainer, startup);
    }
  }

  private static MnistData.Split split(MnistData train, DataConfig config) {
    MnistData pool = config.limit() > 0 ? train.first(config.limit()) : train;
    if (pool.size() < 2) {
      throw new IllegalArgumentException("a limit of " + config.limit() + " leaves " + pool.size()
          + " training example(s); at least 2 are needed for a training and a validation part");
    }
    return pool.split(config.validationCount(pool.size()), config.seed());
  }

  /**
   * Trains until the configured epochs are done, early stopping stops it, or {@link #stopAfterCurrentStep} is
   * called; restores the best epoch's weights, scores them on the test set and completes the run folder
   * ({@code config.json}, {@code history.csv}/{@code .json}, {@code metrics.json}, {@code training-curves.png}).
   * Training stops at once if its loss stops being finite (see {@link TrainingResult#diverged}); nothing is then
   * evaluated, recorded as final or exportable.
   *
   * @param listeners called first on every event (a progress display, say), before the run's own: early
   *     stopping, checkpoints, the run folder and TensorBoard
   */
  public RunResult fit(List<? extends TrainingListener> listeners) throws IOException {
    if (result != null) {
      throw new IllegalStateException("this run was already fitted; start a new TrainingRun to train again");
    }
    List<EpochMetrics> previous = resumed == null ? List.of() : resumed.state().history();
    StepTimer stepTimer = new StepTimer();
    List<TrainingListener> all = new ArrayList<>(listeners);
    all.add(earlyStopping);
    all.add(stepTimer);
    if (options.checkpointDir() != null) {
      all.add(new CheckpointWriter(new CheckpointStore(options.checkpointDir()), options.data(), options.train(),
          earlyStopping, trainer::saveCheckpoint, TensorFlow.version()));
    }
    if (options.runsDir() != null) {
      recorder = RunRecorder.inRoot(options.runsDir(), new RecordedConfig(options.data(), options.train(),
          options.earlyStopping(), options.logdir(), options.checkpointDir(),
          resumed == null ? null : resumed.folder(), TensorFlow.version()));
      all.add(recorder);
    }
    preloadOpDefinitions();
    TrainingResult training;
    try (TensorBoardLogger tensorBoard = options.logdir() == null ? null
        : new TensorBoardLogger(TensorBoardLogger.Config.of(options.logdir())
            .withLearningRate(options.train().adam().learningRate()))) {
      if (tensorBoard != null) {
        all.add(tensorBoard);
      }
      training = trainer.fit(split, all);
    } catch (UncheckedIOException e) { // a listener's file could not be written
      throw e.getCause();
    }
    int best = training.epochs().isEmpty() ? 0
        : earlyStopping.config().restoreBestWeights() ? earlyStopping.bestEpoch() : training.epochsRun();
    Metrics test = null;
    double testSeconds = 0;
    try (BackgroundTask<Path> plotting = plotCurves(training)) {
      if (best > 0 && !training.diverged()) {
        long start = System.nanoTime();
        test = trainer.evaluate(data.test());
        testSeconds = (System.nanoTime() - start) / 1e9;
        if (recorder != null) {
          finalMetrics = FinalMetrics.of(training, test, best);
          recorder.finish(finalMetrics, null);
        }
      }
      if (plotting != null) {
        take(plotting);
      }
    }
    result = new RunResult(training, previous.size(), best, test, recorder == null ? null : recorder.runDir(),
        stepTimer.firstStepSeconds(), stepTimer.medianStepMillis(), testSeconds);
    return result;
  }

  /** Draws the training curves into the run folder on a second thread (null when nothing is recorded). */
  private BackgroundTask<Path> plotCurves(TrainingResult training) {
    if (recorder == null || training.epochs().isEmpty()) {
      return null;
    }
    TrainingCurves curves = new TrainingCurves(training.epochs(), earlyStopping.bestEpoch(),
        options.earlyStopping().monitor(), earlyStopping.stoppedEpoch(), caption(options.train()));
    Path png = recorder.runDir().resolve(TrainingCurves.FILE_NAME);
    return BackgroundTask.start("training-curves", () -> {
      curves.write(png);
      return png;
    }, p -> { });
  }

  private static <T> T take(BackgroundTask<T> task) throws IOException {
    try {
      return task.take();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** The export needs the op definitions (0.2 s to read): read them on the idle core while training runs. */
  private static void preloadOpDefinitions() {
    Thread ops = new Thread(RegisteredOps::names, "registered-ops");
    ops.setDaemon(true);
    ops.setPriority(Thread.MIN_PRIORITY);
    ops.start();
  }

  /**
   * Exports the weights the run holds (the best epoch's) as a SavedModel in the next TensorFlow Serving version
   * folder under {@code base} ({@code base/1}, {@code base/2}, ...), with its export contract
   * ({@code assets.extra/mnist-tf-java.json}: signature, input, outputs, classes, this run's metrics, the data
   * files' SHA-256); the folder appears complete or not at all. The run folder's {@code metrics.json} then
   * names it.
   *
   * @return the new version folder
   * @throws IllegalStateException before {@link #fit}, or when no epoch completed or training diverged
   */
  public Path exportSavedModel(Path base) throws IOException {
    if (result == null || !result.trained()) {
      throw new IllegalStateException(result == null ? "fit the run before exporting it"
          : result.training().diverged() ? "training diverged (" + result.training().stopReason() + "): nothing to export"
          : "no epoch completed: nothing to export");
    }
    Path exported = SavedModelExporter.export(options.train().model(), trainer::saveCheckpoint,
        ExportContracts.of(result, options.data().dataDir()), base);
    if (recorder != null) {
      recorder.finish(finalMetrics, exported);
    }
    return exported;
  }

  /**
   * Asks a running {@link #fit} to stop at the end of the current step (thread-safe, for Ctrl-C); the best
   * weights so far are then evaluated and can be exported.
   */
  public void stopAfterCurrentStep() {
    trainer.stopAfterCurrentStep();
  }

  /** The data the run trains and tests on. */
  public Mnist data() {
    return data;
  }

  /** What starting the run found and how long it took. */
  public Startup startup() {
    return startup;
  }

  /** The run's settings. */
  public RunOptions options() {
    return options;
  }

  /** The result of {@link #fit}, or null before it. */
  public RunResult result() {
    return result;
  }

  /** Mean loss and accuracy of the weights the run holds now on {@code examples}. */
  public Metrics evaluate(MnistData examples) {
    return trainer.evaluate(examples);
  }

  /** Frees the graph and the session; closing twice is harmless. */
  @Override
  public void close() {
    trainer.close();
  }

  private static String caption(TrainConfig config) {
    String layers = config.model().hiddenUnits().stream().map(String::valueOf).collect(Collectors.joining("-"));
    return String.format(Locale.ROOT, "mnist-tf-java: %d-%s-%d, Adam lr %s, batch %d, seed %d", MnistData.PIXELS,
        layers, MnistData.CLASSES, config.adam().learningRate(), config.batchSize(), config.seed());
  }

  /** What the run folder's {@code config.json} records: every setting that shaped the run. */
  private record RecordedConfig(DataConfig data, TrainConfig train, EarlyStopping.Config earlyStopping,
      Path logdir, Path checkpointDir, Path resumedFrom, String tensorflowVersion) {}
}
