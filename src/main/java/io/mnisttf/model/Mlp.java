package io.mnisttf.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A multi-layer perceptron defined in a graph: its input shape and its dense layers with their variables.
 * It can be applied to several inputs in the same graph; all applications share the variables.
 */
public final class Mlp implements Network {
  private final long[] inputDims;
  private final List<DenseLayer> layers;

  Mlp(long[] inputDims, List<DenseLayer> layers) {
    this.inputDims = inputDims.clone();
    this.layers = List.copyOf(layers);
  }

  public List<DenseLayer> layers() {
    return layers;
  }

  @Override
  public List<Variable<TFloat32>> variables() {
    List<Variable<TFloat32>> variables = new ArrayList<>(2 * layers.size());
    for (DenseLayer layer : layers) {
      variables.add(layer.kernel());
      variables.add(layer.bias());
    }
    return variables;
  }

  /**
   * Applies the network to {@code images}, shape {@code [batch, 28, 28]} (or already flat,
   * {@code [batch, 784]}; for a head of flattened features, {@code [batch, n]}); returns logits and probabilities.
   */
  @Override
  public Forward apply(Ops tf, Operand<TFloat32> images) {
    long flat = Shape.of(inputDims).size();
    Operand<TFloat32> x = images.shape().numDimensions() == 2 && images.shape().get(1) == flat
        ? images
        : tf.withName("flatten").reshape(images, tf.constant(new long[] {-1, flat}));
    Operand<TFloat32> logits = null;
    for (DenseLayer layer : layers) {
      Ops scope = tf.withSubScope(layer.name());
      Operand<TFloat32> affine = scope.nn.biasAdd(scope.linalg.matMul(x, layer.kernel()), layer.bias());
      x = switch (layer.activation()) {
        case LINEAR -> affine;
        case RELU -> scope.nn.relu(affine);
        case SOFTMAX -> {
          logits = affine;
          yield scope.nn.softmax(affine);
        }
      };
    }
    return new Forward(logits != null ? logits : x, x);
  }
}
