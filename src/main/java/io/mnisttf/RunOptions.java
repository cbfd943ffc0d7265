package io.mnisttf;

import io.mnisttf.checkpoint.CheckpointException;
import io.mnisttf.checkpoint.CheckpointState;
import io.mnisttf.checkpoint.CheckpointStore;
import io.mnisttf.data.DataConfig;
import io.mnisttf.train.EarlyStopping;
import io.mnisttf.train.TrainConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything a {@link TrainingRun} needs to know, with the tutorial's defaults ({@link #DEFAULTS}): the data
 * and its validation split, the training hyper-parameters, early stopping, and where the run records itself.
 *
 * @param data the MNIST folder ({@code data/mnist}), validation share (0.1), split seed (42) and example limit
 *     (0: all)
 * @param train epochs (5), batch size (100), shuffle buffer (10 000), seed (42), network (50-50) and Adam
 *     (Keras' defaults)
 * @param earlyStopping Keras' {@code EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)}
 * @param runsDir each run records its configuration, history, curves and metrics in a new folder
 *     {@code <runsDir>/<yyyyMMdd-HHmmss>}; null records nothing. Default {@code runs}
 * @param logdir TensorBoard event files go to {@code <logdir>/train} and {@code <logdir>/validation}; null
 *     (the default) writes none
 * @param checkpointDir a checkpoint is saved here after every epoch; null (the default) saves none
 */
public record RunOptions(DataConfig data, TrainConfig train, EarlyStopping.Config earlyStopping, Path runsDir,
    Path logdir, Path checkpointDir) {
  /** Where runs are recorded unless configured otherwise. */
  public static final Path RUNS_DIR_DEFAULT = Path.of("runs");
  /** The tutorial: the bundled data, 5 epochs, early stopping with patience 2, recorded under {@code runs/}. */
  public static final RunOptions DEFAULTS = new RunOptions(DataConfig.DEFAULTS, TrainConfig.DEFAULTS,
      EarlyStopping.Config.DEFAULTS, RUNS_DIR_DEFAULT, null, null);

  public RunOptions {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(earlyStopping, "earlyStopping");
  }

  /**
   * The settings a checkpointed run was made with (data, training, early stopping), continuing to checkpoint
   * into the same folder and recording into {@link #RUNS_DIR_DEFAULT}.
   */
  public static RunOptions of(CheckpointStore.Loaded checkpoint) {
    return new RunOptions(checkpoint.state().data(), checkpoint.state().train(), checkpoint.state().earlyStopping(),
        RUNS_DIR_DEFAULT, null, checkpoint.folder().getParent());
  }

  /**
   * Checks that these options can continue {@code checkpoint}: the same data split, training and early-stopping
   * settings (only the epochs and the data folder may differ), more epochs than it completed, and a run that
   * had not stopped early.
   *
   * @throws IllegalArgumentException when a setting that shaped the run differs
   * @throws CheckpointException when the run already completed its epochs or stopped early
   */
  public void requireResumable(CheckpointStore.Loaded checkpoint) throws CheckpointException {
    CheckpointState state = checkpoint.state();
    if (!train().withEpochs(state.train().epochs()).equals(state.train())
        || !new DataConfig(state.data().dataDir(), data.validationFraction(), data.seed(), data.limit())
            .equals(state.data())
        || !earlyStopping().equals(state.earlyStopping())) {
      throw new IllegalArgumentException("a resumed run keeps its checkpoint's settings; only the epochs, the data"
          + " folder and the outputs can change");
    }
    if (state.epoch() >= train().epochs()) {
      throw new CheckpointException(checkpoint.folder(), "the run already completed " + state.epoch() + " of "
          + train().epochs() + " epochs; give more than " + state.epoch() + " epochs to train longer");
    }
    if (state.monitor().epochsWithoutImprovement() >= state.earlyStopping().patience()) {
      throw new CheckpointException(checkpoint.folder(), "the run already stopped early after epoch "
          + state.epoch() + " (" + state.earlyStopping().monitor() + " did not improve for "
          + state.earlyStopping().patience() + " epochs)");
    }
  }

  public RunOptions withData(DataConfig d) {
    return new RunOptions(d, train, earlyStopping, runsDir, logdir, checkpointDir);
  }

  public RunOptions withTrain(TrainConfig t) {
    return new RunOptions(data, t, earlyStopping, runsDir, logdir, checkpointDir);
  }

  public RunOptions withEarlyStopping(EarlyStopping.Config e) {
    return new RunOptions(data, train, e, runsDir, logdir, checkpointDir);
  }

  /** Records runs under {@code dir}; null records nothing. */
  public RunOptions withRunsDir(Path dir) {
    return new RunOptions(data, train, earlyStopping, dir, logdir, checkpointDir);
  }

  /** Writes TensorBoard event files under {@code dir}; null writes none. */
  public RunOptions withLogdir(Path dir) {
    return new RunOptions(data, train, earlyStopping, runsDir, dir, checkpointDir);
  }

  /** Saves a checkpoint into {@code dir} after every epoch; null saves none. */
  public RunOptions withCheckpointDir(Path dir) {
    return new RunOptions(data, train, earlyStopping, runsDir, logdir, dir);
  }
}
