package io.mnisttf.train;

import java.util.List;

/**
 * What a call of {@link Trainer#fit} did.
 *
 * @param epochs the metrics of every completed epoch, those restored from a checkpoint included
 * @param stopReason why training stopped before the last epoch (early stopping, interruption), or null
 * @param trainSeconds wall time of this call's epoch loop, per-epoch validation included, listeners'
 *     {@link TrainingContext#untimed} work not
 * @param samplesTrained training examples processed by this call (restored epochs not included)
 * @param interrupted whether {@link Trainer#stopAfterCurrentStep} ended the run
 * @param diverged whether the training loss stopped being finite (NaN or infinite) and training stopped at
 *     that step, as Keras' {@code TerminateOnNaN} does; the epoch it happened in is not among {@code epochs}
 */
public record TrainingResult(List<EpochMetrics> epochs, String stopReason, double trainSeconds,
    long samplesTrained, boolean interrupted, boolean diverged) {
  public TrainingResult {
    epochs = List.copyOf(epochs);
  }

  /** Completed epochs, restored ones included. */
  public int epochsRun() {
    return epochs.size();
  }

  public boolean stoppedEarly() {
    return stopReason != null;
  }

  /** Training examples processed per second of the epoch loop (epochs run x examples / seconds). */
  public double samplesPerSecond() {
    return trainSeconds > 0 ? samplesTrained / trainSeconds : 0;
  }
}
