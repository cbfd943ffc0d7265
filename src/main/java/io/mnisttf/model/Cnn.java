package io.mnisttf.model;

import io.mnisttf.data.MnistData;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A convolutional network defined in a graph: convolution layers (each with max-pooling and ReLU), then the
 * flattened features through optional dropout into a dense head ({@link Mlp}). Built by {@link CnnGraphBuilder}.
 *
 * <p>Each convolution pools before its bias and ReLU (Conv2D, MaxPool, BiasAdd, Relu): max-pooling commutes with
 * adding a per-channel constant and with ReLU, so the logits and the kernels' gradients are bit for bit those of
 * Keras' order (bias, ReLU, then pool), and the biases' gradients the same sums in another order. The bias, the
 * ReLU and their gradients work on a quarter of the values, and each filter gradient stays its own kernel:
 * with the bias added to the convolution's output, TensorFlow's oneDNN pass fuses the filter and bias gradients
 * (which then read the same tensor) into one kernel that made a training step 15 % slower.
 *
 * <p>Ops: {@code Conv2D} (NHWC, valid padding), {@code BiasAdd}, {@code MaxPool} and {@code Relu}. {@code MaxPool}
 * is the original op with its window as attrs, not {@code MaxPoolV2}: TensorFlow's oneDNN graph pass rewrites
 * {@code MaxPool} and its gradient to its fast kernels, and only that one (measured, a training step took 51.7 ms
 * with {@code MaxPoolV2} against 25.5 ms). Dropout, in training only, is Keras' inverted dropout: features kept
 * with probability {@code 1 - rate} and scaled by {@code 1 / (1 - rate)}, the mask from
 * {@code StatelessRandomUniform}.
 */
public final class Cnn implements Network {
  private final List<ConvLayer> convs;
  private final long[] featureDims;
  private final double dropout;
  private final Mlp head;

  Cnn(List<ConvLayer> convs, long[] featureDims, double dropout, Mlp head) {
    this.convs = List.copyOf(convs);
    this.featureDims = featureDims.clone();
    this.dropout = dropout;
    this.head = head;
  }

  /** The convolution layers, in order. */
  public List<ConvLayer> convolutions() {
    return convs;
  }

  /** The dense layers after the flattened features. */
  public Mlp head() {
    return head;
  }

  /** Share of the flattened features dropped in training. */
  public double dropout() {
    return dropout;
  }

  @Override
  public List<Variable<TFloat32>> variables() {
    List<Variable<TFloat32>> variables = new ArrayList<>();
    for (ConvLayer conv : convs) {
      variables.add(conv.kernel());
      variables.add(conv.bias());
    }
    variables.addAll(head.variables());
    return variables;
  }

  @Override
  public Forward apply(Ops tf, Operand<TFloat32> images) {
    return head.apply(tf, features(tf, images));
  }

  /** Examples per scoring run: about 100 MB of activations. */
  static final int SCORING_BATCH = 500;

  @Override
  public int scoringBatch() {
    return SCORING_BATCH;
  }

  @Override
  public boolean stochastic() {
    return dropout > 0;
  }

  @Override
  public Forward applyTraining(Ops tf, Operand<TFloat32> images, Operand<TInt64> stepSeed) {
    Operand<TFloat32> features = features(tf, images);
    if (dropout > 0) {
      if (stepSeed == null) {
        throw new IllegalArgumentException("dropout needs a step seed");
      }
      features = dropout(tf.withSubScope("dropout"), features, stepSeed);
    }
    return head.apply(tf, features);
  }

  /** The convolution stack on {@code images}, flattened: float32 {@code [batch, features]}. */
  private Operand<TFloat32> features(Ops tf, Operand<TFloat32> images) {
    Operand<TFloat32> x = tf.withName("to_channels").reshape(images,
        tf.constant(new long[] {-1, MnistData.ROWS, MnistData.COLS, 1}));
    for (ConvLayer conv : convs) {
      Ops scope = tf.withSubScope(conv.name());
      x = scope.nn.conv2d(x, conv.kernel(), List.of(1L, 1L, 1L, 1L), "VALID");
      if (conv.poolSize() > 1) {
        x = maxPool(scope, x, conv.poolSize()); // before the bias and the ReLU: see the class comment
      }
      x = scope.nn.relu(scope.nn.biasAdd(x, conv.bias()));
    }
    long flat = 1;
    for (long d : featureDims) {
      flat *= d;
    }
    return tf.withName("flatten").reshape(x, tf.constant(new long[] {-1, flat}));
  }

  /**
   * {@code MaxPool} (version 1, window and stride as attrs), which TF Java's {@code Ops} does not offer: its
   * {@code nn.maxPool} is {@code MaxPoolV2}.
   */
  private static Operand<TFloat32> maxPool(Ops tf, Operand<TFloat32> x, int size) {
    long[] window = {1, size, size, 1};
    GraphOperation op = (GraphOperation) tf.scope().opBuilder("MaxPool", "MaxPool")
        .addInput(x.asOutput())
        .setAttr("ksize", window)
        .setAttr("strides", window)
        .setAttr("padding", "VALID")
        .build();
    return op.output(0);
  }

  /** Inverted dropout: {@code x * (u >= rate) / (1 - rate)}, u uniform in [0,1) from {@code seed}. */
  private Operand<TFloat32> dropout(Ops tf, Operand<TFloat32> x, Operand<TInt64> seed) {
    Operand<TFloat32> uniform = tf.random.statelessRandomUniform(tf.shape(x, TInt64.class), seed, TFloat32.class);
    Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(uniform, tf.constant((float) dropout)),
        TFloat32.class);
    return tf.math.mul(x, tf.math.mul(keep, tf.constant((float) (1 / (1 - dropout)))));
  }
}
