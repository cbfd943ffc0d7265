package io.mnisttf.model;

import io.mnisttf.data.MnistData;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.framework.initializers.RandomUniform;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Defines a multi-layer perceptron in a TensorFlow graph, layer by layer, the way a Keras
 * {@code Sequential} model reads:
 *
 * <pre>{@code
 * Mlp mlp = MlpGraphBuilder.input(tf, 28, 28)
 *     .seed(42)
 *     .flatten()
 *     .dense(50, Activation.RELU)
 *     .dense(50, Activation.RELU)
 *     .dense(10, Activation.SOFTMAX)
 *     .build();
 * Forward out = mlp.apply(tf, images);
 * }</pre>
 *
 * <p>Variables get flat names ({@code dense_1_kernel}, {@code dense_1_bias}, ...), which the framework
 * optimizers need for their slot names and which let another graph restore them by name. Initialisation
 * follows Keras' Dense layer: kernels Glorot-uniform in {@code [-limit, limit]} with
 * {@code limit = sqrt(6 / (fanIn + fanOut))}, biases zero. (tensorflow-framework 1.1.0's own
 * {@code Glorot(UNIFORM)} draws from {@code [0, limit)}, so it is not used.) A builder without a seed
 * creates variables without initializers, to be restored from a checkpoint.
 */
public final class MlpGraphBuilder {
  private final Ops tf;
  private final long[] inputDims;
  private final List<DenseLayer> layers = new ArrayList<>();
  private Long seed;
  private boolean flattened;
  private long width;

  private MlpGraphBuilder(Ops tf, long[] inputDims) {
    if (inputDims.length == 0) {
      throw new IllegalArgumentException("the input needs at least one dimension");
    }
    this.tf = tf;
    this.inputDims = inputDims.clone();
    this.width = Shape.of(inputDims).size();
  }

  /** Starts a network whose examples have shape {@code dims} (without the batch dimension). */
  public static MlpGraphBuilder input(Ops tf, long... dims) {
    return new MlpGraphBuilder(tf, dims);
  }

  /** The tutorial's network: Flatten(28x28) -> Dense(h, relu) per hidden size -> Dense(10, softmax). */
  public static Mlp mnist(Ops tf, ModelConfig config, Long seed) {
    MlpGraphBuilder builder = input(tf, MnistData.ROWS, MnistData.COLS).flatten();
    if (seed != null) {
      builder.seed(seed);
    }
    for (int units : config.hiddenUnits()) {
      builder.dense(units, Activation.RELU);
    }
    return builder.dense(MnistData.CLASSES, Activation.SOFTMAX).build();
  }

  /**
   * Initialises the variables Keras' way from {@code seed}: each kernel draws from its own seed derived
   * from this one and the layer's position. Call before adding layers.
   */
  public MlpGraphBuilder seed(long seed) {
    if (!layers.isEmpty()) {
      throw new IllegalStateException("set the seed before adding layers");
    }
    this.seed = seed;
    return this;
  }

  /** Flattens each example to a vector, as Keras' Flatten layer. */
  public MlpGraphBuilder flatten() {
    if (!layers.isEmpty()) {
      throw new IllegalStateException("flatten() comes before the dense layers");
    }
    flattened = true;
    return this;
  }

  /** Adds a fully connected layer of {@code units} outputs. */
  public MlpGraphBuilder dense(int units, Activation activation) {
    if (!flattened && inputDims.length != 1) {
      throw new IllegalStateException("a dense layer needs flat input: call flatten() first");
    }
    if (units < 1) {
      throw new IllegalArgumentException("units must be >= 1, got " + units);
    }
    if (!layers.isEmpty() && layers.get(layers.size() - 1).activation() == Activation.SOFTMAX) {
      throw new IllegalStateException("softmax is only allowed on the last layer");
    }
    String name = "dense_" + (layers.size() + 1);
    Variable<TFloat32> kernel = variable(name + "_kernel", Shape.of(width, units),
        glorotUniform(width, units, layers.size()));
    Variable<TFloat32> bias = variable(name + "_bias", Shape.of(units), null);
    layers.add(new DenseLayer(name, kernel, bias, activation));
    width = units;
    return this;
  }

  /** Finishes the definition. */
  public Mlp build() {
    if (layers.isEmpty()) {
      throw new IllegalStateException("add at least one dense layer");
    }
    return new Mlp(inputDims, layers);
  }

  private RandomUniform<TFloat32> glorotUniform(long fanIn, long fanOut, int layerIndex) {
    if (seed == null) {
      return null;
    }
    double limit = Math.sqrt(6.0 / (fanIn + fanOut));
    return new RandomUniform<>(-limit, limit, seed * 1_000_003L + layerIndex);
  }

  private Variable<TFloat32> variable(String name, Shape shape, RandomUniform<TFloat32> init) {
    return variable(tf, name, shape, init, seed != null);
  }

  /**
   * A {@code VariableV2} named {@code name}: when {@code initialised}, with an initializer in the init scope
   * ({@code init}'s values, or zeros when {@code init} is null); else without one (restored from a checkpoint).
   */
  static Variable<TFloat32> variable(Ops tf, String name, Shape shape, RandomUniform<TFloat32> init,
      boolean initialised) {
    Ops named = tf.withName(name);
    if (!initialised) {
      return named.variable(shape, TFloat32.class);
    }
    Ops initScope = tf.withInitScope();
    Operand<TFloat32> value = init != null
        ? init.call(initScope, initScope.constant(shape), TFloat32.class)
        : initScope.zeros(initScope.constant(shape), TFloat32.class);
    return named.variable(value);
  }
}
