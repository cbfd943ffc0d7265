package io.mnisttf.train;


/** A TrainingContext without TensorFlow, for driving listeners with scripted calls. */
public record FixedContext(int epochs, int stepsPerEpoch) implements TrainingContext {
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
}
