package io.mnisttf.train;

import java.util.List;

/**
 * What a call of {@link Trainer#fit} did.
 *
 * @param epochs the metrics of every epoch run
 * @param stopReason why a listener stopped training before the last epoch, or null
 * @param trainSeconds wall time of the whole epoch loop, per-epoch validation included
 * @param trainingExamples examples in each training epoch
 */
public record TrainingResult(List<EpochMetrics> epochs, String stopReason, double trainSeconds,
    int trainingExamples) {
  public TrainingResult {
    epochs = List.copyOf(epochs);
  }

  public int epochsRun() {
    return epochs.size();
  }

  public boolean stoppedEarly() {
    return stopReason != null;
  }

  /** Epochs run x training examples / train seconds. */
  public double samplesPerSecond() {
    return trainSeconds > 0 ? (double) epochsRun() * trainingExamples / trainSeconds : 0;
  }
}
