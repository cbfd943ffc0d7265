package io.mnisttf.train;

import java.util.List;

/**
 * A TrainingContext without TensorFlow: the "weights" are the number of the epoch that produced them, so
 * tests can see which epoch's weights a listener snapshots and restores.
 */
final class ScriptedContext implements TrainingContext {
  int currentEpoch;
  String stopReason;
  Integer restoredEpoch;
  int snapshots;

  @Override
  public int epochs() {
    return 100;
  }

  @Override
  public int stepsPerEpoch() {
    return 10;
  }

  @Override
  public void requestStop(String reason) {
    if (stopReason == null) {
      stopReason = reason;
    }
  }

  @Override
  public List<EpochMetrics> history() {
    return List.of();
  }

  @Override
  public boolean stopRequested() {
    return stopReason != null;
  }

  @Override
  public WeightSnapshot snapshotWeights() {
    snapshots++;
    return new WeightSnapshot(List.of("epoch"), List.of(new long[] {1}), List.of(new float[] {currentEpoch}));
  }

  @Override
  public void restoreWeights(WeightSnapshot snapshot) {
    restoredEpoch = (int) snapshot.values().get(0)[0];
  }

  /** Feeds {@code values} of the monitored metric as val_loss until the listener asks to stop. */
  int run(TrainingListener listener, double... valLosses) {
    listener.onTrainBegin(this);
    int epoch = 0;
    for (double v : valLosses) {
      if (stopRequested()) {
        break;
      }
      currentEpoch = ++epoch;
      listener.onEpochEnd(new EpochMetrics(epoch, 1.0, 0.5, v, 1 - v, 0.1), this);
    }
    listener.onTrainEnd(this);
    return epoch;
  }

  @Override
  public <T> T untimed(java.util.function.Supplier<T> work) {
    return work.get(); // nothing is timed here
  }
}
