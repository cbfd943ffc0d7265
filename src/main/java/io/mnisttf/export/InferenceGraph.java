package io.mnisttf.export;

import io.mnisttf.data.MnistData;
import io.mnisttf.model.Forward;
import io.mnisttf.model.ModelConfig;
import io.mnisttf.model.Networks;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The serving graph: the network's variables (no initializers: they are restored from a checkpoint) and
 * its inference forward pass, nothing else: no loss, dropout, optimizer slots, training or input-pipeline ops.
 *
 * @param images input, float32 {@code [-1, 28, 28]}, pixels in [0,1]
 * @param probabilities output, float32 {@code [-1, 10]}, softmax probabilities
 * @param classes output, int64 {@code [-1]}, the most probable class
 */
public record InferenceGraph(Placeholder<TFloat32> images, Operand<TFloat32> probabilities,
    Operand<TInt64> classes) {
  public static final String INPUT_KEY = "images";
  public static final String PROBABILITIES_KEY = "probabilities";
  public static final String CLASSES_KEY = "classes";
  public static final String METHOD_NAME = "tensorflow/serving/predict";

  /** Defines the serving graph of a network shaped by {@code config} in {@code graph}. */
  public static InferenceGraph build(Graph graph, ModelConfig config) {
    Ops tf = Ops.create(graph);
    Placeholder<TFloat32> images = tf.withName(INPUT_KEY)
        .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, MnistData.ROWS, MnistData.COLS)));
    Forward forward = Networks.mnist(tf, config, null).apply(tf, images);
    Operand<TFloat32> probabilities = tf.withName(PROBABILITIES_KEY).identity(forward.probabilities());
    Operand<TInt64> classes = tf.withName(CLASSES_KEY)
        .math.argMax(forward.probabilities(), tf.constant(1), TInt64.class);
    return new InferenceGraph(images, probabilities, classes);
  }

  /** The {@code serving_default} predict signature over this graph. */
  public Signature servingSignature() {
    return Signature.builder()
        .key(Signature.DEFAULT_KEY)
        .methodName(METHOD_NAME)
        .input(INPUT_KEY, images)
        .output(PROBABILITIES_KEY, probabilities)
        .output(CLASSES_KEY, classes)
        .build();
  }
}
