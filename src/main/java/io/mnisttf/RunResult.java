package io.mnisttf;

import io.mnisttf.train.EpochMetrics;
import io.mnisttf.train.Metrics;
import io.mnisttf.train.TrainingResult;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link TrainingRun#fit} did: the epochs, why training stopped, which epoch's weights were kept, and
 * how those weights score on the 10 000 test images.
 *
 * @param training the epoch loop's result: every epoch's metrics (those of a resumed checkpoint included),
 *     the stop reason, whether Ctrl-C interrupted it or the loss diverged, seconds and samples
 * @param resumedEpochs epochs that came from the checkpoint the run resumed (0 for a new run)
 * @param bestEpoch 1-based epoch whose weights the run holds now (early stopping's best), 0 when no epoch
 *     completed
 * @param test loss and accuracy of those weights on the test set; null when no epoch completed or training
 *     diverged
 * @param runDir the run folder ({@code runs/<timestamp>}), or null when the run is not recorded
 * @param firstStepSeconds seconds of the first training step (graph optimisation included), NaN if none
 * @param steadyStepMillis median milliseconds of the steps after the first, NaN if none
 * @param testSeconds seconds of the test evaluation
 */
public record RunResult(TrainingResult training, int resumedEpochs, int bestEpoch, Metrics test, Path runDir,
    double firstStepSeconds, double steadyStepMillis, double testSeconds) {

  /** Every completed epoch, resumed ones included. */
  public List<EpochMetrics> history() {
    return training.epochs();
  }

  /** The metrics of the epoch whose weights were kept, or null when no epoch completed. */
  public EpochMetrics best() {
    return bestEpoch == 0 ? null : training.epochs().get(bestEpoch - 1);
  }

  /** Whether the weights are worth using: at least one epoch completed and the loss stayed finite. */
  public boolean trained() {
    return bestEpoch > 0 && !training.diverged();
  }

  /** Epochs trained by this run (resumed ones not counted). */
  public int epochsTrained() {
    return training.epochsRun() - resumedEpochs;
  }

  /** The epoch seconds of this run's own epochs. */
  public List<Double> epochSeconds() {
    return training.epochs().subList(resumedEpochs, training.epochsRun()).stream().map(EpochMetrics::seconds)
        .toList();
  }
}
