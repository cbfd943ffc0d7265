package io.mnisttf.model;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.framework.losses.SparseCategoricalCrossentropy;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The graph that trains the network: placeholders for a batch, the forward pass, the framework's
 * {@link SparseCategoricalCrossentropy} and {@link Adam}'s update (in its {@link OrderedAdam} form).
 *
 * <p>The loss is computed from the logits ({@code fromLogits = true}), which is what Keras does for a
 * softmax output layer: it is mathematically the cross-entropy of the softmax probabilities, evaluated
 * without rounding {@code log(softmax)} through float32.
 *
 * @param mlp the network and its variables
 * @param images placeholder, float32 {@code [batch, 28, 28]}, pixels in [0,1]
 * @param labels placeholder, int32 {@code [batch]}, classes 0-9
 * @param forward logits and probabilities of the batch
 * @param loss mean cross-entropy of the batch, scalar
 * @param accuracy fraction of the batch classified correctly, scalar
 * @param trainOp one Adam step on the batch
 */
public record TrainingGraph(Mlp mlp, Placeholder<TFloat32> images, Placeholder<TInt32> labels,
    Forward forward, Operand<TFloat32> loss, Operand<TFloat32> accuracy, Op trainOp) {

  /** Defines the training graph in {@code graph}, which must be empty. */
  public static TrainingGraph build(Graph graph, ModelConfig model, AdamConfig adam, long seed) {
    SparseSoftmaxGradient.register();
    Ops tf = Ops.create(graph);
    Placeholder<TFloat32> images = tf.withName("images")
        .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28)));
    Placeholder<TInt32> labels = tf.withName("labels")
        .placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    Mlp mlp = MlpGraphBuilder.mnist(tf, model, seed);
    Forward forward = mlp.apply(tf, images);
    Operand<TFloat32> loss = new SparseCategoricalCrossentropy(true)
        .call(tf.withSubScope("loss"), labels, forward.logits(), null);
    // The optimizer differentiates every VariableV2 in the graph: define it before any other variable.
    Op trainOp = new OrderedAdam(graph, adam).minimize(loss);
    Operand<TFloat32> accuracy = accuracy(tf.withSubScope("accuracy"), forward.logits(), labels);
    return new TrainingGraph(mlp, images, labels, forward, loss, accuracy, trainOp);
  }

  /** Fraction of rows whose largest logit is at the label; computed per batch (see GOTCHA D in notes). */
  static Operand<TFloat32> accuracy(Ops tf, Operand<TFloat32> logits, Operand<TInt32> labels) {
    Operand<TInt32> predicted = tf.math.argMax(logits, tf.constant(1), TInt32.class);
    Operand<TFloat32> hits = tf.dtypes.cast(tf.math.equal(predicted, labels), TFloat32.class);
    return tf.math.mean(hits, tf.constant(0));
  }
}
