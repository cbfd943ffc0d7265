package io.mnisttf.train;

/**
 * Receives the training loop's events, in the order the listeners were given. Every method has a no-op
 * default, so a listener implements only what it needs.
 */
public interface TrainingListener {
  /** Before the first epoch. */
  default void onTrainBegin(TrainingContext context) {}

  /** Before each epoch; {@code epoch} is 1-based. */
  default void onEpochBegin(int epoch, TrainingContext context) {}

  /** After each training step: its metrics and the epoch's so far. */
  default void onBatchEnd(BatchMetrics metrics) {}

  /** After each epoch, validation included. */
  default void onEpochEnd(EpochMetrics metrics, TrainingContext context) {}

  /** After the last epoch, whether it ran to the end or was stopped. */
  default void onTrainEnd(TrainingContext context) {}
}
