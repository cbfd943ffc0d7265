package io.mnisttf.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.types.TFloat32;

/**
 * Registers the gradient of {@code SparseSoftmaxCrossEntropyWithLogits}, which the TensorFlow 2.18 C++
 * runtime lacks ("No gradient defined for op"), so that the framework's
 * {@code SparseCategoricalCrossentropy} can be minimised.
 *
 * <p>The op's second output is already the gradient of each example's loss with respect to its logits,
 * {@code softmax(logits) - onehot(label)}; the gradient of the logits is that, scaled by the incoming
 * gradient of each example's loss, with the op's output treated as a constant (as Python's
 * {@code _SparseSoftmaxCrossEntropyWithLogitsGrad}). Labels get a zero gradient: TF Java 1.1.0 cannot
 * return "no gradient". Custom gradients are not supported on Windows by TF Java 1.1.0.
 */
public final class SparseSoftmaxGradient {
  public static final String OP_TYPE = "SparseSoftmaxCrossEntropyWithLogits";
  private static boolean registered;

  private SparseSoftmaxGradient() {}

  /** Registers the gradient once per JVM; later calls do nothing. */
  public static synchronized void register() {
    if (registered) {
      return;
    }
    TensorFlow.registerCustomGradient(OP_TYPE, (tf, op, gradients) -> {
      Output<TFloat32> lossGradient = gradients.get(0).expect(TFloat32.class);
      Output<?> backpropRaw = op.output(1);
      Output<TFloat32> backprop = backpropRaw.expect(TFloat32.class);
      Operand<TFloat32> logitsGradient = tf.math.mul(
          tf.expandDims(lossGradient, tf.constant(-1)), tf.stopGradient(backprop));
      return List.of(logitsGradient, tf.zerosLike(op.input(1)));
    });
    registered = true;
  }
}
