package io.mnisttf.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Loss and accuracy of one set of examples, as one tensor, so that a session run fetches both at once: a
 * training step's run then returns one tensor instead of two (3 % of a default MLP step, StepAB; PERFORMANCE.md).
 *
 * @param lossAndAccuracy float32 {@code [2]}: the mean cross-entropy, then the fraction classified correctly
 */
public record Scores(Operand<TFloat32> lossAndAccuracy) {
  /** Packs the scalars {@code loss} and {@code accuracy} into one tensor, in {@code tf}'s scope. */
  static Scores of(Ops tf, Operand<TFloat32> loss, Operand<TFloat32> accuracy) {
    return new Scores(tf.withName("loss_and_accuracy").stack(List.of(loss, accuracy)));
  }
}
