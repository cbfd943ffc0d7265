package io.mnisttf.train;

import io.mnisttf.model.StepChain;
import io.mnisttf.model.TrainingGraph;
import java.util.Arrays;
import org.tensorflow.Result;
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
 * step also gets its seed, {@code {seed, step number}}, so that its random mask depends on nothing else. Owns its
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
  /** Steps 2, 3, ... of a chained run ({@link StepChain}): their indices and seeds; empty without a chain. */
  private final TInt32[] chainBatches;
  private final TInt64[] chainSeeds;

  StepRunner(Session session, TrainingGraph net, int batchSize, long seed) {
    this.session = session;
    this.net = net;
    this.batchSize = batchSize;
    this.seed = seed;
    this.fullBatch = TInt32.tensorOf(Shape.of(batchSize));
    this.fullBatchIndices = fullBatch.asRawTensor().data().asInts();
    this.stepSeed = net.stepSeed() == null ? null : TInt64.tensorOf(Shape.of(2));
    this.stepSeedValues = stepSeed == null ? null : stepSeed.asRawTensor().data().asLongs();
    int more = net.chain() == null ? 0 : net.chain().size() - 1;
    this.chainBatches = new TInt32[more];
    this.chainSeeds = new TInt64[stepSeed == null ? 0 : more];
    for (int k = 0; k < more; k++) {
      chainBatches[k] = TInt32.tensorOf(Shape.of(batchSize));
      if (stepSeed != null) {
        chainSeeds[k] = TInt64.tensorOf(Shape.of(2));
      }
    }
  }

  /** Steps per {@link #steps} call: the graph's {@link StepChain} size, or 1 without one. */
  int stepsPerRun() {
    return chainBatches.length + 1;
  }

  /**
   * {@link #stepsPerRun()} full steps in one session run, numbered from {@code firstStep}: step k on
   * {@code indices[k * batch .. (k + 1) * batch)}. Returns {losses, accuracies}, one per step, each before its
   * step's update; the weights end as after the same steps run one by one with {@link #step}.
   */
  float[][] steps(int[] indices, long firstStep) {
    if (chainBatches.length == 0) {
      float[] one = step(indices, batchSize, firstStep);
      return new float[][] {{one[0]}, {one[1]}};
    }
    fullBatchIndices.write(indices, 0, batchSize);
    Session.Runner runner = session.runner().feed(net.batch(), fullBatch).addTarget(net.chain().trainOp());
    if (stepSeed != null) {
      stepSeedValues.write(new long[] {seed, firstStep});
      runner.feed(net.stepSeed(), stepSeed);
    }
    for (int k = 0; k < chainBatches.length; k++) {
      chainBatches[k].asRawTensor().data().asInts().write(indices, (k + 1) * batchSize, batchSize);
      runner.feed(net.chain().batches().get(k), chainBatches[k]);
      if (stepSeed != null) {
        chainSeeds[k].asRawTensor().data().asLongs().write(new long[] {seed, firstStep + k + 1});
        runner.feed(net.chain().stepSeeds().get(k), chainSeeds[k]);
      }
    }
    try (Result out = runner.fetch(net.chain().losses()).fetch(net.chain().accuracies()).run()) {
      float[] losses = new float[stepsPerRun()];
      float[] accuracies = new float[stepsPerRun()];
      ((TFloat32) out.get(0)).asRawTensor().data().asFloats().read(losses);
      ((TFloat32) out.get(1)).asRawTensor().data().asFloats().read(accuracies);
      return new float[][] {losses, accuracies};
    }
  }

  /**
   * Step number {@code step} (0-based, counted over the whole run) on the first {@code size} of
   * {@code indices}; returns {loss, accuracy} before the update.
   */
  float[] step(int[] indices, int size, long step) {
    if (stepSeed != null) {
      stepSeedValues.write(new long[] {seed, step});
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
    return FedScoring.scores(runner, net.step());
  }

  @Override
  public void close() {
    for (TInt32 t : chainBatches) {
      t.close();
    }
    for (TInt64 t : chainSeeds) {
      t.close();
    }
    if (stepSeed != null) {
      stepSeed.close();
    }
    fullBatch.close();
  }
}
