package io.mnisttf.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The framework's {@link Adam}, with its step bookkeeping put in order.
 *
 * <p>Adam keeps {@code beta1_power} and {@code beta2_power} ({@code beta^t}) for the bias correction of step
 * t. tensorflow-framework 1.1.0 multiplies them by beta in the same group as the variable updates but
 * without a dependency on them, so whether a step's {@code ApplyAdam} ops see {@code beta^t} or
 * {@code beta^(t+1)} depends on execution order: measured, the first step moved a weight by 0.00074 or
 * 0.00053 instead of the learning rate 0.001, and results varied between runs. As Python's Adam
 * ({@code _finish} under {@code control_dependencies(update_ops)}), this subclass advances the powers only
 * after every variable has been updated. Slots, update rule and hyper-parameters are the framework's.
 */
final class OrderedAdam extends Adam {
  private final float beta1;
  private final float beta2;

  OrderedAdam(Graph graph, AdamConfig config) {
    super(graph, config.learningRate(), config.beta1(), config.beta2(), config.epsilon());
    this.beta1 = config.beta1();
    this.beta2 = config.beta2();
  }

  @Override
  protected Op finish(List<Op> updateOperations, String name) {
    Ops afterUpdates = getTF().withControlDependencies(updateOperations);
    List<Op> all = new ArrayList<>(updateOperations);
    all.add(advance(afterUpdates, "beta1_power", beta1));
    all.add(advance(afterUpdates, "beta2_power", beta2));
    return getTF().withName(name).withControlDependencies(all).noOp();
  }

  private Op advance(Ops tf, String powerName, float beta) {
    GraphOperation variable = graph.operation(powerName);
    if (variable == null || !variable.type().equals("VariableV2")) {
      throw new IllegalStateException("Adam's " + powerName + " variable not found in the graph");
    }
    Output<TFloat32> power = variable.<TFloat32>output(0).expect(TFloat32.class);
    return tf.assign(power, tf.math.mul(power, tf.constant(beta)));
  }
}
