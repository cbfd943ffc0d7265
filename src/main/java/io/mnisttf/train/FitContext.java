package io.mnisttf.train;

import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/** What the listeners of one {@link Trainer#fit} call may ask of it. */
final class FitContext implements TrainingContext {
  private final int epochs;
  private final int steps;
  private final List<EpochMetrics> history;
  private final Trainer trainer;
  private String stopReason;
  private long untimedNanos;
  private int untimedDepth;

  /** {@code history} is the fit's own list of completed epochs, seen read-only. */
  FitContext(int epochs, int steps, List<EpochMetrics> history, Trainer trainer) {
    this.epochs = epochs;
    this.steps = steps;
    this.history = Collections.unmodifiableList(history);
    this.trainer = trainer;
  }

  /** The first reason a stop was requested for, or null. */
  String stopReason() {
    return stopReason;
  }

  @Override
  public List<EpochMetrics> history() {
    return history;
  }

  @Override
  public int epochs() {
    return epochs;
  }

  @Override
  public int stepsPerEpoch() {
    return steps;
  }

  @Override
  public void requestStop(String reason) {
    if (stopReason == null) {
      stopReason = reason;
    }
  }

  @Override
  public boolean stopRequested() {
    return stopReason != null;
  }

  @Override
  public WeightSnapshot snapshotWeights() {
    return trainer.snapshotWeights();
  }

  @Override
  public void restoreWeights(WeightSnapshot snapshot) {
    trainer.restoreWeights(snapshot);
  }

  /** Untimed work may call {@link #untimed} again: only the outermost call's time counts, once. */
  @Override
  public <T> T untimed(Supplier<T> work) {
    if (untimedDepth > 0) {
      untimedDepth++;
      try {
        return work.get();
      } finally {
        untimedDepth--;
      }
    }
    long start = System.nanoTime();
    untimedDepth = 1;
    try {
      return work.get();
    } finally {
      untimedDepth = 0;
      untimedNanos += System.nanoTime() - start;
    }
  }

  /** Nanoseconds spent in {@link #untimed} work so far. */
  long untimedNanos() {
    return untimedNanos;
  }
}
