package io.mnisttf.train;

import io.mnisttf.model.TrainingGraph;
import java.util.Arrays;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.IntDataBuffer;
import org.tensorflow.ndarray.buffer.LongDataBuffer;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Runs training steps: one Adam update on the resident examples at a batch's indices, fed as one int32 tensor
 * that full batches reuse (the last, partial batch of an epoch gets its own). For a network with dropout, each
 * step also gets its seed, {@code {seed, step number}}, so that its random mask depends on nothing else; with a
 * moving average of the weights, the step's rate ({@link io.mnisttf.model.WeightAverage#rateAt}). Owns its
 * tensors: close it.
 */
final class StepRunner implements AutoCloseable {
  private final Session session;
  private final TrainingGraph net;
  private final int batchSize;
  private final long seed;
  private final TInt32 fullBatch;
  private final IntDataBuffer fullBatchIndices;
  private final TInt64 stepSeed;
  private final LongDataBuffer stepSeedValues;
  private final TFloat32 averageRate;

  StepRunner(Session session, TrainingGraph net, int batchSize, long seed) {
    this.session = session;
    this.net = net;
    this.batchSize = batchSize;
    this.seed = seed;
    this.fullBatch = TInt32.tensorOf(Shape.of(batchSize));
    this.fullBatchIndices = fullBatch.asRawTensor().data().asInts();
    this.stepSeed = net.stepSeed() == null ? null : TInt64.tensorOf(Shape.of(2));
    this.stepSeedValues = stepSeed == null ? null : stepSeed.asRawTensor().data().asLongs();
    this.averageRate = net.average() == null ? null : TFloat32.scalarOf(0f);
  }

  /**
   * Step number {@code step} (0-based, counted over the whole run) on the first {@code size} of
   * {@code indices}; returns {loss, accuracy} before the update.
   */
  float[] step(int[] indices, int size, long step) {
    if (stepSeed != null) {
      stepSeedValues.write(new long[] {seed, step});
    }
    if (averageRate != null) {
      averageRate.setFloat(net.average().rateAt(step + 1));
    }
    if (size == batchSize) {
      fullBatchIndices.write(indices);
      return run(fullBatch);
    }
    try (TInt32 partial = TInt32.vectorOf(Arrays.copyOf(indices, size))) {
      return run(partial);
    }
  }

  private float[] run(TInt32 indices) {
    Session.Runner runner = session.runner().feed(net.batch(), indices).addTarget(net.trainOp());
    if (stepSeed != null) {
      runner.feed(net.stepSeed(), stepSeed);
    }
    if (averageRate != null) {
      runner.feed(net.average().rate(), averageRate);
    }
    return FedScoring.scores(runner, net.step());
  }

  @Override
  public void close() {
    if (averageRate != null) {
      averageRate.close();
    }
    if (stepSeed != null) {
      stepSeed.close();
    }
    fullBatch.close();
  }
}
