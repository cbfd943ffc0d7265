package io.mnisttf.train;

/** What a {@link TrainingListener} may ask of the training loop it listens to. */
public interface TrainingContext {
  /** Number of epochs the run is configured for. */
  int epochs();

  /** Training steps in each epoch. */
  int stepsPerEpoch();

  /** Asks the loop to stop after the current epoch; the first reason given is kept. */
  void requestStop(String reason);

  /** Whether a stop was requested. */
  boolean stopRequested();

  /** A copy of the current weights. */
  WeightSnapshot snapshotWeights();

  /** Sets the model's weights to {@code snapshot}. */
  void restoreWeights(WeightSnapshot snapshot);
}
