package io.mnisttf.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Measures how long training steps take, for benchmarks: the first step of the run (which includes
 * TensorFlow's graph optimisation and executor set-up) separately from the steady-state steps after it.
 * A step's time runs from the end of the previous step (or the start of its epoch) to its own end, so it
 * covers batch assembly, the session run and the listeners before this one.
 */
public final class StepTimer implements TrainingListener {
  private final List<Long> stepNanos = new ArrayList<>();
  private long firstStepNanos = -1;
  private long last;

  @Override
  public void onTrainBegin(TrainingContext context) {
    stepNanos.clear();
    firstStepNanos = -1;
  }

  @Override
  public void onEpochBegin(int epoch, TrainingContext context) {
    last = System.nanoTime();
  }

  @Override
  public void onBatchEnd(BatchMetrics metrics) {
    long now = System.nanoTime();
    if (firstStepNanos < 0) {
      firstStepNanos = now - last;
    } else {
      stepNanos.add(now - last);
    }
    last = now;
  }

  /** Seconds of the run's first step, NaN before it. */
  public double firstStepSeconds() {
    return firstStepNanos < 0 ? Double.NaN : firstStepNanos / 1e9;
  }

  /** Median milliseconds of the steps after the first, NaN if there are none. */
  public double medianStepMillis() {
    if (stepNanos.isEmpty()) {
      return Double.NaN;
    }
    long[] sorted = stepNanos.stream().mapToLong(Long::longValue).sorted().toArray();
    int mid = sorted.length / 2;
    double median = sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    return median / 1e6;
  }

}
