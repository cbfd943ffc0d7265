package io.mnisttf.runs;

import io.mnisttf.train.EpochMetrics;
import io.mnisttf.train.Metrics;
import io.mnisttf.train.TrainingResult;

/**
 * How a finished run did, as written to {@code metrics.json}.
 *
 * @param testLoss mean test-set loss of the final (restored) weights
 * @param testAccuracy test-set accuracy of the final weights, in [0,1]
 * @param testExamples examples in the test set
 * @param epochsRun epochs trained
 * @param stoppedEarly whether a listener stopped training before the configured epochs
 * @param stopReason why training stopped early, or null
 * @param bestEpoch 1-based epoch whose weights were kept (evaluated and exported)
 * @param bestValLoss validation loss of {@code bestEpoch}
 * @param bestValAccuracy validation accuracy of {@code bestEpoch}
 * @param trainSeconds wall time of the epoch loop, validation included
 * @param samplesPerSecond training examples per second over the epoch loop
 */
public record FinalMetrics(double testLoss, double testAccuracy, int testExamples, int epochsRun,
    boolean stoppedEarly, String stopReason, int bestEpoch, double bestValLoss, double bestValAccuracy,
    double trainSeconds, double samplesPerSecond) {

  /**
   * The final metrics of a {@link io.mnisttf.train.Trainer#fit} result and the test evaluation that followed.
   *
   * @param bestEpoch the epoch whose weights were kept ({@code EarlyStopping.bestEpoch()} when it restores the
   *     best weights); 0 means the last epoch's weights were kept
   */
  public static FinalMetrics of(TrainingResult result, Metrics test, int bestEpoch) {
    if (result.epochsRun() == 0) {
      throw new IllegalArgumentException("no epoch was run");
    }
    int kept = bestEpoch == 0 ? result.epochsRun() : bestEpoch;
    if (kept < 1 || kept > result.epochsRun()) {
      throw new IllegalArgumentException("best epoch must be 0 or 1.." + result.epochsRun() + ", got " + bestEpoch);
    }
    EpochMetrics best = result.epochs().get(kept - 1);
    return new FinalMetrics(test.loss(), test.accuracy(), test.examples(), result.epochsRun(),
        result.stoppedEarly(), result.stopReason(), kept, best.valLoss(), best.valAccuracy(),
        result.trainSeconds(), result.samplesPerSecond());
  }
}
