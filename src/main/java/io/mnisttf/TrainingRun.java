package io.mnisttf;

import io.mnisttf.checkpoint.CheckpointException;
import io.mnisttf.checkpoint.CheckpointStore;
import io.mnisttf.data.DataConfig;
import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import io.mnisttf.export.SavedModelExporter;
import io.mnisttf.runs.FinalMetrics;
import io.mnisttf.runtime.RegisteredOps;
import io.mnisttf.tensorboard.EventFileWriter;
import io.mnisttf.train.EarlyStopping;
import io.mnisttf.train.Metrics;
import io.mnisttf.train.StagedSplit;
import io.mnisttf.train.Trainer;
import io.mnisttf.train.TrainingListener;
import io.mnisttf.train.TrainingResult;
import io.mnisttf.util.BackgroundTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
   * @param resumedFrom the checkpoint the run continues, or null for a new run
   * @param resumedEpochs epochs that checkpoint completed (0 for a new run)
   */
  public record Startup(double dataSeconds, double graphSeconds, int trainExamples, int validationExamples,
      int testExamples, Path resumedFrom, int resumedEpochs) {}

  private final RunOptions options;
  private final Mnist data;
  private final StagedSplit staged;
  private final Trainer trainer;
  private final Startup startup;
  private final EarlyStopping earlyStopping;
  private RunResult result;
  private FinalMetrics finalMetrics;
  private RunOutputs outputs;

  private TrainingRun(RunOptions options, Mnist data, StagedSplit staged, Trainer trainer, Startup startup,
      EarlyStopping earlyStopping) {
    this.options = options;
    this.data = data;
    this.staged = staged;
    this.trainer = trainer;
    this.startup = startup;
    this.earlyStopping = earlyStopping;
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
   * The settings of the latest checkpoint in {@code checkpointDir} (what {@code train --checkpoint-dir} wrote),
   * continuing to checkpoint there: change the epochs, the data folder or the outputs, then {@link #resume}.
   *
   * @throws CheckpointException when the folder holds no complete checkpoint of this tool
   */
  public static RunOptions resumeOptions(Path checkpointDir) throws IOException {
    return Resumption.options(latest(checkpointDir));
  }

  /**
   * Continues the run checkpointed in {@code checkpointDir} after its last epoch: the weights, Adam's state,
   * early stopping's progress and the history come from its latest checkpoint. {@code options} must hold the
   * checkpoint's settings (start from {@link #resumeOptions}); only the number of epochs, the data folder and the
   * outputs may differ. Stopping a run after epoch 2 and resuming it gives bit-identically the run that never
   * stopped.
   *
   * @throws CheckpointException when there is no checkpoint, or the run already completed its epochs or stopped
   *     early
   * @throws IllegalArgumentException when {@code options} change a setting that shaped the run
   */
  public static TrainingRun resume(Path checkpointDir, RunOptions options) throws IOException {
    CheckpointStore.Loaded checkpoint = latest(checkpointDir);
    Resumption.requireResumable(checkpoint, options);
    return start(options, checkpoint);
  }

  private static CheckpointStore.Loaded latest(Path checkpointDir) throws IOException {
    return new CheckpointStore(checkpointDir).latest().orElseThrow(() -> new CheckpointException(checkpointDir,
        "no checkpoint found (epoch-NNNN folders, as a run with a checkpoint folder writes)"));
  }

  private static TrainingRun start(RunOptions options, CheckpointStore.Loaded resumed) throws IOException {
    try (BackgroundTask<Trainer> building = BackgroundTask.start("tensorflow-init", () -> {
      Trainer trainer = new Trainer(options.train());
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
      // into tensors while TensorFlow still starts on the other thread: fresh native memory is slow to touch
      StagedSplit staged = StagedSplit.of(split);
      if (options.logdir() != null) {
        EventFileWriter.preload(); // still ahead of TensorFlow: its first-use costs, off the training's clock
      }
      try {
        Trainer trainer = building.takeIo();
        Startup startup = new Startup(dataSeconds, building.seconds(), split.trainIndices().length,
            split.validationIndices().length, mnist.test().size(), resumed == null ? null : resumed.folder(),
            resumed == null ? 0 : resumed.state().epoch());
        EarlyStopping earlyStopping = new EarlyStopping(options.earlyStopping());
        if (resumed != null) {
          earlyStopping.resume(resumed.state().monitor(), resumed.bestWeights());
        }
        return new TrainingRun(options, mnist, staged, trainer, startup, earlyStopping);
      } catch (IOException | RuntimeException | Error e) {
        staged.close();
        throw e;
      }
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
    RunOutputs run = new RunOutputs(options, earlyStopping, trainer, startup.resumedFrom());
    outputs = run;
    try (run) {
      List<TrainingListener> all = new ArrayList<>(listeners);
      all.addAll(run.listeners());
      RegisteredOps.preloadInBackground(); // the export needs them; the idle core reads them while training runs
      TrainingResult training = trainer.fit(staged, all);
      int kept = run.keptEpoch(training);
      Metrics test = null;
      double testSeconds = 0;
      try (BackgroundTask<Path> plotting = run.plotCurves(training)) {
        if (kept > 0 && !training.diverged()) {
          long start = System.nanoTime();
          test = trainer.evaluate(data.test());
          testSeconds = (System.nanoTime() - start) / 1e9;
          finalMetrics = FinalMetrics.of(training, test, kept);
          run.recordFinal(finalMetrics, null);
        }
        if (plotting != null) {
          plotting.takeIo();
        }
      }
      result = new RunResult(training, startup.resumedEpochs(), kept, test, run.runDir(),
          run.stepTimer().firstStepSeconds(), run.stepTimer().medianStepMillis(), testSeconds);
      return result;
    } catch (UncheckedIOException e) { // a listener's file could not be written
      throw e.getCause();
    }
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
    outputs.recordFinal(finalMetrics, exported);
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
    staged.close();
    trainer.close();
  }
}
