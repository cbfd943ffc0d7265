package io.mnisttf.train;

import io.mnisttf.model.Scores;
import io.mnisttf.model.TrainingGraph;
import java.util.Arrays;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.IntDataBuffer;
import org.tensorflow.types.TInt32;

/**
 * Runs training steps: one Adam update on the resident examples at a batch's indices, fed as one int32 tensor
 * that full batches reuse (the last, partial batch of an epoch gets its own). Owns that tensor: close it.
 */
final class StepRunner implements AutoCloseable {
  private final Session session;
  private final TrainingGraph net;
  private final int batchSize;
  private final TInt32 fullBatch;
  private final IntDataBuffer fullBatchIndices;

  StepRunner(Session session, TrainingGraph net, int batchSize) {
    this.session = session;
    this.net = net;
    this.batchSize = batchSize;
    this.fullBatch = TInt32.tensorOf(Shape.of(batchSize));
    this.fullBatchIndices = fullBatch.asRawTensor().data().asInts();
  }

  /** One step on the first {@code size} of {@code indices}; returns {loss, accuracy} before the update. */
  float[] step(int[] indices, int size) {
    if (size == batchSize) {
      fullBatchIndices.write(indices);
      return run(session, net, fullBatch);
    }
    try (TInt32 partial = TInt32.vectorOf(Arrays.copyOf(indices, size))) {
      return run(session, net, partial);
    }
  }

  /** One Adam step on the resident training examples at {@code indices}; returns {loss, accuracy}. */
  static float[] run(Session session, TrainingGraph net, TInt32 indices) {
    Scores step = net.step();
    return FedScoring.scores(session.runner().feed(net.batch(), indices).addTarget(net.trainOp()), step);
  }

  @Override
  public void close() {
    fullBatch.close();
  }
}
