package io.mnisttf.train;


/**
 * A TrainingContext without TensorFlow, for driving listeners with scripted calls; its history grows by
 * {@link #endEpoch}.
 */
public record FixedContext(int epochs, int stepsPerEpoch, java.util.List<EpochMetrics> history)
    implements TrainingContext {
  public FixedContext(int epochs, int stepsPerEpoch) {
    this(epochs, stepsPerEpoch, new java.util.ArrayList<>());
  }

  /** Adds {@code metrics} to the history, then tells {@code listener} the epoch ended. */
  public void endEpoch(TrainingListener listener, EpochMetrics metrics) {
    history.add(metrics);
    listener.onEpochEnd(metrics, this);
  }

  @Override
  public void requestStop(String reason) {}

  @Override
  public boolean stopRequested() {
    return false;
  }

  @Override
  public WeightSnapshot snapshotWeights() {
    throw new UnsupportedOperationException("no weights in a scripted run");
  }

  @Override
  public void restoreWeights(WeightSnapshot snapshot) {
    throw new UnsupportedOperationException("no weights in a scripted run");
  }

  @Override
  public <T> T untimed(java.util.function.Supplier<T> work) {
    return work.get(); // nothing is timed here
  }
}
