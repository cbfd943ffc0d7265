package io.mnisttf;

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
