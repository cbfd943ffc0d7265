package io.mnisttf.train;

/** What a {@link TrainingListener} may ask of the training loop it listens to. */
public interface TrainingContext {
  /** Number of epochs the run is configured for. */
  int epochs();

  /** Training steps in each epoch. */
  int stepsPerEpoch();

  /** Asks the loop to stop after the current epoch; the first reason given is kept. */
  void requestStop(String reason);

  /**
   * Every completed epoch so far, in order, those of a resumed checkpoint included: in
   * {@link TrainingListener#onEpochEnd} the epoch being reported is the last. The one copy of the run's
   * history, which listeners read rather than keep their own.
   */
  java.util.List<EpochMetrics> history();

  /** Whether a stop was requested. */
  boolean stopRequested();

  /** A copy of the current weights. */
  WeightSnapshot snapshotWeights();

  /** Sets the model's weights to {@code snapshot}. */
  void restoreWeights(WeightSnapshot snapshot);

  /**
   * Runs {@code work} outside the timed training: its time is left out of {@link TrainingResult#trainSeconds} (and
   * so of the samples per second), for a measurement that is not part of training, such as scoring the test set
   * after every epoch. Returns what {@code work} returns.
   */
  <T> T untimed(java.util.function.Supplier<T> work);
}
