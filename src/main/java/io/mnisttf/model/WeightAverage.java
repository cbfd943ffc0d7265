package io.mnisttf.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A moving average of a network's weights, kept in the graph beside them ({@link AdamConfig#emaMomentum}), with the
 * ops that move it after a step and that put it in the weights' place and back. Each weight has two variables
 * beside it: its average, and a place to keep the trained value while the average stands in for it.
 *
 * <p>The average is bias-corrected, as Adam's moments are: after step {@code t} it is the mean of the weights after
 * steps 1 to {@code t}, step {@code i} weighted {@code momentum^(t - i)} (the initial weights count for nothing).
 * So the average tracks the training from the first epoch, instead of starting at the initial weights and
 * trailing them for thousands of steps; after a few thousand steps it is the plain moving average.
 *
 * @param update one Adam step (its control input), then each average moved towards its weight:
 *     {@code average -= rate * (average - weight)}, the form of TensorFlow's {@code ExponentialMovingAverage}, with
 *     the {@code rate} fed for the step
 * @param rate the step's rate, {@link #rateAt(long)}: a placeholder whose default, {@code 1 - momentum}, is
 *     the rate of a long run (what a caller that does not feed it gets)
 * @param reset sets each average (and each kept value) to its weight: after the weights are initialised
 * @param swapIn keeps the trained weights aside and puts the averages in their place, to validate, keep or export
 *     the average
 * @param swapOut puts the trained weights back, to train on
 */
public record WeightAverage(float momentum, Op update, PlaceholderWithDefault<TFloat32> rate, Op reset, Op swapIn,
    Op swapOut) {
  /**
   * The rate to feed for step {@code t} (1-based, counted from the start of the run):
   * {@code (1 - momentum) / (1 - momentum^t)}, 1 for the first step (the average becomes the weights), then falling
   * to {@code 1 - momentum}, which it equals in float from about {@code 17 / (1 - momentum)} steps on.
   */
  public float rateAt(long t) {
    if (t < 1) {
      throw new IllegalArgumentException("steps are counted from 1, got " + t);
    }
    double m = momentum;
    return (float) ((1 - m) / (1 - Math.pow(m, t)));
  }

  static WeightAverage create(Ops tf, List<Variable<TFloat32>> weights, float momentum, Op step) {
    Ops afterStep = tf.withControlDependencies(List.of(step));
    PlaceholderWithDefault<TFloat32> rate = tf.withName("rate").placeholderWithDefault(tf.constant(1 - momentum),
        Shape.scalar());
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
    return new WeightAverage(momentum, tf.withControlDependencies(updates).noOp(), rate,
        tf.withControlDependencies(resets).noOp(), tf.withControlDependencies(ins).noOp(),
        tf.withControlDependencies(outs).noOp());
  }
}
