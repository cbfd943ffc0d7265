package io.mnisttf.checkpoint;

import io.mnisttf.data.DataConfig;
import io.mnisttf.train.EarlyStopping;
import io.mnisttf.train.EpochMetrics;
import io.mnisttf.train.TrainConfig;
import java.util.List;

/**
 * What a checkpoint records besides the TensorFlow variables: the settings of the run, how far it got and the
 * early-stopping monitor's progress. Written as {@code state.json}.
 *
 * @param format version of this layout
 * @param epoch epochs completed
 * @param data the data settings (folder, validation split, seed, limit)
 * @param train the training settings (epochs, batch size, shuffle buffer, seed, network, Adam)
 * @param earlyStopping the monitor's settings
 * @param monitor the monitor's progress after {@code epoch}
 * @param history metrics of every completed epoch
 * @param tensorflowVersion the TensorFlow runtime that wrote it
 */
public record CheckpointState(int format, int epoch, DataConfig data, TrainConfig train,
    EarlyStopping.Config earlyStopping, EarlyStopping.State monitor, List<EpochMetrics> history,
    String tensorflowVersion) {
  public static final int FORMAT = 1;

  public CheckpointState {
    history = List.copyOf(history);
  }
}
