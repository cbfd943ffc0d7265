package io.mnisttf;

import io.mnisttf.checkpoint.CheckpointStore;
import io.mnisttf.checkpoint.CheckpointWriter;
import io.mnisttf.data.DataConfig;
import io.mnisttf.plots.TrainingCurves;
import io.mnisttf.runs.FinalMetrics;
import io.mnisttf.runs.RunRecorder;
import io.mnisttf.tensorboard.TensorBoardLogger;
import io.mnisttf.train.EarlyStopping;
import io.mnisttf.train.StepTimer;
import io.mnisttf.train.TrainConfig;
import io.mnisttf.train.Trainer;
import io.mnisttf.train.TrainingListener;
import io.mnisttf.train.TrainingResult;
import io.mnisttf.util.BackgroundTask;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.TensorFlow;

/**
 * The listeners a {@link TrainingRun} adds to the caller's, in order: early stopping, the step timer, and, as the
 * options ask, the checkpoint writer, the run folder's recorder and the TensorBoard logger; then what the run
 * folder gets once training ends (the final metrics, the training curves drawn on a second thread). Closing it
 * closes the TensorBoard files; the run folder can still be completed after that (the exported model's folder).
 */
final class RunOutputs implements AutoCloseable {
  private final RunOptions options;
  private final EarlyStopping earlyStopping;
  private final StepTimer stepTimer = new StepTimer();
  private final RunRecorder recorder;
  private final TensorBoardLogger tensorBoard;
  private final List<TrainingListener> listeners = new ArrayList<>();

  RunOutputs(RunOptions options, EarlyStopping earlyStopping, Trainer trainer, Path resumedFrom) {
    this.options = options;
    this.earlyStopping = earlyStopping;
    listeners.add(earlyStopping);
    listeners.add(stepTimer);
    if (options.checkpointDir() != null) {
      listeners.add(new CheckpointWriter(new CheckpointStore(options.checkpointDir()), options.data(),
          options.train(), earlyStopping, trainer::saveCheckpoint, TensorFlow.version()));
    }
    recorder = options.runsDir() == null ? null : RunRecorder.inRoot(options.runsDir(),
        new RecordedConfig(options.data(), options.train(), options.earlyStopping(), options.logdir(),
            options.checkpointDir(), resumedFrom, TensorFlow.version()));
    if (recorder != null) {
      listeners.add(recorder);
    }
    tensorBoard = options.logdir() == null ? null : new TensorBoardLogger(TensorBoardLogger.Config
        .of(options.logdir()).withLearningRate(options.train().adam().learningRate()));
    if (tensorBoard != null) {
      listeners.add(tensorBoard);
    }
  }

  /** The run's own listeners, to follow the caller's. */
  List<TrainingListener> listeners() {
    return listeners;
  }

  StepTimer stepTimer() {
    return stepTimer;
  }

  /** The run folder, or null when the run is not recorded. */
  Path runDir() {
    return recorder == null ? null : recorder.runDir();
  }

  /** The epoch whose weights the run holds after training: early stopping's best, or the last one. */
  int keptEpoch(TrainingResult training) {
    if (training.epochs().isEmpty()) {
      return 0;
    }
    return earlyStopping.config().restoreBestWeights() ? earlyStopping.bestEpoch() : training.epochsRun();
  }

  /** Draws the training curves into the run folder on a second thread (null when nothing is recorded). */
  BackgroundTask<Path> plotCurves(TrainingResult training) {
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

  private static String caption(TrainConfig config) {
    return String.format(java.util.Locale.ROOT, "mnist-tf-java: %s, Adam lr %s, batch %d, seed %d%s%s",
        config.model().layers(), config.adam().learningRate(), config.batchSize(), config.seed(),
        config.augmentation().enabled() ? ", augmented" : "",
        config.adam().averaged() ? ", weights averaged (momentum " + config.adam().emaMomentum() + ")" : "");
  }

  /** Records the final metrics, and the exported model once there is one, in {@code metrics.json}. */
  void recordFinal(FinalMetrics metrics, Path exported) throws IOException {
    if (recorder != null && metrics != null) {
      recorder.finish(metrics, exported);
    }
  }

  @Override
  public void close() throws IOException {
    if (tensorBoard != null) {
      tensorBoard.close();
    }
  }

  /** What the run folder's {@code config.json} records: every setting that shaped the run. */
  private record RecordedConfig(DataConfig data, TrainConfig train, EarlyStopping.Config earlyStopping,
      Path logdir, Path checkpointDir, Path resumedFrom, String tensorflowVersion) {}
}
