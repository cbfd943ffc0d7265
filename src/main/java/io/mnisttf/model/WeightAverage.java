package io.mnisttf.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A moving average of a network's weights, kept in the graph beside them ({@link AdamConfig#emaMomentum}), with the
 * ops that move it after a step and that put it in the weights' place and back. Each weight has two variables
 * beside it: its average, and a place to keep the trained value while the average stands in for it.
 *
 * @param update one Adam step (its control input), then each average moved towards its weight:
 *     {@code average -= (1 - momentum) * (average - weight)}, the form of TensorFlow's
 *     {@code ExponentialMovingAverage}
 * @param reset sets each average (and each kept value) to its weight: after the weights are initialised
 * @param swapIn keeps the trained weights aside and puts the averages in their place, to validate, keep or export
 *     the average
 * @param swapOut puts the trained weights back, to train on
 */
public record WeightAverage(Op update, Op reset, Op swapIn, Op swapOut) {
  static WeightAverage create(Ops tf, List<Variable<TFloat32>> weights, float momentum, Op step) {
    Ops afterStep = tf.withControlDependencies(List.of(step));
    Operand<TFloat32> rate = tf.constant(1 - momentum);
    List<Op> updates = new ArrayList<>();
    List<Op> resets = new ArrayList<>();
    List<Op> ins = new ArrayList<>();
    List<Op> outs = new ArrayList<>();
    for (Variable<TFloat32> weight : weights) {
      Variable<TFloat32> average = tf.variable(weight.shape(), TFloat32.class);
      Variable<TFloat32> kept = tf.variable(weight.shape(), TFloat32.class);
      updates.add(afterStep.assignSub(average, afterStep.math.mul(afterStep.math.sub(average, weight), rate)));
      resets.add(tf.assign(average, weight));
      resets.add(tf.assign(kept, weight));
      Op keep = tf.assign(kept, weight);
      ins.add(tf.withControlDependencies(List.of(keep)).assign(weight, average));
      outs.add(tf.assign(weight, kept));
    }
    return new WeightAverage(tf.withControlDependencies(updates).noOp(), tf.withControlDependencies(resets).noOp(),
        tf.withControlDependencies(ins).noOp(), tf.withControlDependencies(outs).noOp());
  }
}
