package io.mnisttf.model;

import io.mnisttf.data.MnistData;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.framework.initializers.RandomUniform;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Defines a convolutional network for 28x28 single-channel images in a TensorFlow graph, layer by layer, the way
 * a Keras {@code Sequential} model reads:
 *
 * <pre>{@code
 * Cnn cnn = CnnGraphBuilder.mnist(tf).seed(42)
 *     .conv(32, 3).maxPool(2)
 *     .conv(64, 3).maxPool(2)
 *     .flatten().dropout(0.5)
 *     .dense(10, Activation.SOFTMAX)
 *     .build();
 * }</pre>
 *
 * <p>As {@link MlpGraphBuilder}: flat variable names ({@code conv2d_1_kernel}, {@code conv2d_1_bias}, ...,
 * {@code dense_1_kernel}), kernels Glorot-uniform over {@code [-limit, limit]} with Keras' fans for convolutions
 * ({@code fanIn = size * size * inputChannels}, {@code fanOut = size * size * filters}), biases zero, each kernel
 * from its own seed derived from the builder's; without a seed, variables without initializers, to be restored
 * from a checkpoint. The dense layers after {@link #flatten} are an {@link MlpGraphBuilder}'s.
 */
public final class CnnGraphBuilder {
  /** Added to a kernel's position to derive its seed: apart from the dense layers' (0, 1, ...). */
  private static final long CONV_SEED_OFFSET = 1_000;
  private final Ops tf;
  private final List<ConvLayer> convs = new ArrayList<>();
  private final long[] dims = {MnistData.ROWS, MnistData.COLS, 1};
  private Long seed;
  private MlpGraphBuilder head;
  private double dropout;

  private CnnGraphBuilder(Ops tf) {
    this.tf = tf;
  }

  /** Starts a network on 28x28 images with one channel. */
  public static CnnGraphBuilder mnist(Ops tf) {
    return new CnnGraphBuilder(tf);
  }

  /** The network {@code config} describes (a {@link ModelConfig.Architecture#CNN}); {@code seed} may be null. */
  public static Cnn mnist(Ops tf, ModelConfig config, Long seed) {
    CnnGraphBuilder builder = mnist(tf);
    if (seed != null) {
      builder.seed(seed);
    }
    for (int filters : config.convFilters()) {
      builder.conv(filters, ModelConfig.KERNEL_SIZE).maxPool(ModelConfig.POOL_SIZE);
    }
    builder.flatten().dropout(config.dropout());
    for (int units : config.hiddenUnits()) {
      builder.dense(units, Activation.RELU);
    }
    return builder.dense(MnistData.CLASSES, Activation.SOFTMAX).build();
  }

  /** Initialises the variables from {@code seed}. Call before adding layers. */
  public CnnGraphBuilder seed(long seed) {
    if (!convs.isEmpty()) {
      throw new IllegalStateException("set the seed before adding layers");
    }
    this.seed = seed;
    return this;
  }

  /** Adds a {@code size x size} convolution of {@code filters} outputs with ReLU (stride 1, valid padding). */
  public CnnGraphBuilder conv(int filters, int size) {
    requireConvolutions("conv()");
    if (filters < 1 || size < 1) {
      throw new IllegalArgumentException("filters and size must be >= 1, got " + filters + ", " + size);
    }
    if (size > dims[0] || size > dims[1]) {
      throw new IllegalArgumentException("a " + size + "x" + size + " kernel does not fit " + dims[0] + "x" + dims[1]
          + " features");
    }
    String name = "conv2d_" + (convs.size() + 1);
    long fanIn = (long) size * size * dims[2];
    long fanOut = (long) size * size * filters;
    Shape shape = Shape.of(size, size, dims[2], filters);
    Variable<TFloat32> kernel = variable(name + "_kernel", shape,
        seed == null ? null : new RandomUniform<>(-glorotLimit(fanIn, fanOut), glorotLimit(fanIn, fanOut),
            seed * 1_000_003L + CONV_SEED_OFFSET + convs.size()));
    Variable<TFloat32> bias = variable(name + "_bias", Shape.of(filters), null);
    convs.add(new ConvLayer(name, kernel, bias, 1));
    dims[0] -= size - 1;
    dims[1] -= size - 1;
    dims[2] = filters;
    return this;
  }

  /** Max-pools the last convolution's output over {@code size x size} windows with stride {@code size}. */
  public CnnGraphBuilder maxPool(int size) {
    requireConvolutions("maxPool()");
    if (convs.isEmpty() || convs.get(convs.size() - 1).poolSize() != 1) {
      throw new IllegalStateException("maxPool() follows a convolution");
    }
    if (size < 2 || size > dims[0] || size > dims[1]) {
      throw new IllegalArgumentException("pool size must be in [2, " + Math.min(dims[0], dims[1]) + "], got " + size);
    }
    convs.set(convs.size() - 1, convs.get(convs.size() - 1).withPool(size));
    dims[0] /= size;
    dims[1] /= size;
    return this;
  }

  /** Flattens the features to a vector, as Keras' Flatten layer; dense layers follow. */
  public CnnGraphBuilder flatten() {
    requireConvolutions("flatten()");
    if (convs.isEmpty()) {
      throw new IllegalStateException("add a convolution before flatten()");
    }
    head = MlpGraphBuilder.input(tf, dims[0] * dims[1] * dims[2]);
    if (seed != null) {
      head.seed(seed);
    }
    return this;
  }

  /** Drops this share of the flattened features in training (Keras' Dropout); right after {@link #flatten}. */
  public CnnGraphBuilder dropout(double rate) {
    if (head == null) {
      throw new IllegalStateException("dropout() follows flatten()");
    }
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
    }
    dropout = rate;
    return this;
  }

  /** Adds a fully connected layer of {@code units} outputs after {@link #flatten}. */
  public CnnGraphBuilder dense(int units, Activation activation) {
    if (head == null) {
      throw new IllegalStateException("a dense layer needs flat input: call flatten() first");
    }
    head.dense(units, activation);
    return this;
  }

  /** Finishes the definition. */
  public Cnn build() {
    if (head == null) {
      throw new IllegalStateException("flatten() and add at least one dense layer");
    }
    return new Cnn(convs, dims, dropout, head.build());
  }

  private void requireConvolutions(String call) {
    if (head != null) {
      throw new IllegalStateException(call + " comes before flatten()");
    }
  }

  private static double glorotLimit(long fanIn, long fanOut) {
    return Math.sqrt(6.0 / (fanIn + fanOut));
  }

  private Variable<TFloat32> variable(String name, Shape shape, RandomUniform<TFloat32> init) {
    return MlpGraphBuilder.variable(tf, name, shape, init, seed != null);
  }
}
