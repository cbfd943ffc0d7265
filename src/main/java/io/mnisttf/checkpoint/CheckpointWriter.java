package io.mnisttf.checkpoint;

import io.mnisttf.data.DataConfig;
import io.mnisttf.train.CheckpointSource;
import io.mnisttf.train.EarlyStopping;
import io.mnisttf.train.EpochMetrics;
import io.mnisttf.train.TrainConfig;
import io.mnisttf.train.TrainingContext;
import io.mnisttf.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Saves a checkpoint after every epoch: the training variables (weights and optimizer state), the early
 * stopping monitor's state and best weights, and the history. Put it after the {@link EarlyStopping} listener,
 * so that the monitor has seen the epoch it saves.
 */
public final class CheckpointWriter implements TrainingListener {
  private final CheckpointStore store;
  private final DataConfig data;
  private final TrainConfig train;
  private final EarlyStopping monitor;
  private final CheckpointSource variables;
  private final String tensorflowVersion;

  public CheckpointWriter(CheckpointStore store, DataConfig data, TrainConfig train, EarlyStopping monitor,
      CheckpointSource variables, String tensorflowVersion) {
    this.store = store;
    this.data = data;
    this.train = train;
    this.monitor = monitor;
    this.variables = variables;
    this.tensorflowVersion = tensorflowVersion;
  }

  @Override
  public void onEpochEnd(EpochMetrics metrics, TrainingContext context) {
    CheckpointState state = new CheckpointState(CheckpointState.FORMAT, metrics.epoch(), data, train,
        monitor.config(), monitor.state(), context.history(), tensorflowVersion);
    try {
      store.save(state, monitor.bestWeights(), variables);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }
}
