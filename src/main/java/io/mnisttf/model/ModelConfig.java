package io.mnisttf.model;

import java.util.List;
import java.util.Objects;

/**
 * Shape of the network. Two architectures:
 *
 * <ul>
 *   <li>{@link Architecture#MLP}, the tutorial's ({@link #DEFAULTS}): Flatten(28x28) -> Dense(h, relu) for each
 *       hidden size -> Dense(10, softmax);
 *   <li>{@link Architecture#CNN} ({@link #CNN_DEFAULTS}, Keras' "simple MNIST convnet"): for each filter count f,
 *       Conv2D(f, 3x3, relu) -> MaxPool(2x2); then Flatten -> Dropout(rate) -> Dense(h, relu) for each hidden size
 *       (none by default) -> Dense(10, softmax).
 * </ul>
 *
 * <p>A checkpoint or run folder written before the CNN existed records only {@code hiddenUnits}: it reads back as
 * the MLP.
 *
 * @param architecture which network; null reads as {@link Architecture#MLP}
 * @param hiddenUnits width of each hidden dense layer, in order; the tutorial's MLP has two of 50, the CNN none
 * @param convFilters filters of each 3x3 convolution (each followed by a 2x2 max-pool); empty for the MLP, 32
 *     and 64 for the CNN
 * @param dropout share of the flattened features dropped during training, in [0, 1) (CNN only; 0.5 by default);
 *     inference never drops
 */
public record ModelConfig(Architecture architecture, List<Integer> hiddenUnits, List<Integer> convFilters,
    double dropout) {
  /** The two networks. */
  public enum Architecture {
    /** The tutorial's multi-layer perceptron. */
    MLP,
    /** A convolutional network. */
    CNN
  }

  public static final List<Integer> HIDDEN_UNITS_DEFAULT = List.of(50, 50);
  public static final List<Integer> CONV_FILTERS_DEFAULT = List.of(32, 64);
  public static final double DROPOUT_DEFAULT = 0.5;
  /** Side of the square convolution kernels. */
  public static final int KERNEL_SIZE = 3;
  /** Side of the square max-pooling windows (and their stride). */
  public static final int POOL_SIZE = 2;
  /** The tutorial's MLP: 784-50-50-10. */
  public static final ModelConfig DEFAULTS = mlp(HIDDEN_UNITS_DEFAULT);
  /** Keras' simple MNIST convnet: Conv 32 -> pool -> Conv 64 -> pool -> dropout 0.5 -> Dense 10. */
  public static final ModelConfig CNN_DEFAULTS =
      new ModelConfig(Architecture.CNN, List.of(), CONV_FILTERS_DEFAULT, DROPOUT_DEFAULT);

  public ModelConfig {
    architecture = architecture == null ? Architecture.MLP : architecture;
    hiddenUnits = List.copyOf(Objects.requireNonNull(hiddenUnits, "hiddenUnits"));
    convFilters = convFilters == null ? List.of() : List.copyOf(convFilters);
    for (int units : hiddenUnits) {
      if (units < 1) {
        throw new IllegalArgumentException("hidden layer sizes must be >= 1, got " + hiddenUnits);
      }
    }
    for (int filters : convFilters) {
      if (filters < 1) {
        throw new IllegalArgumentException("filter counts must be >= 1, got " + convFilters);
      }
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
    if (architecture == Architecture.MLP && (!convFilters.isEmpty() || dropout != 0)) {
      throw new IllegalArgumentException("the MLP has no convolutions and no dropout");
    }
    if (architecture == Architecture.CNN && convFilters.isEmpty()) {
      throw new IllegalArgumentException("the CNN needs at least one convolution");
    }
    if (architecture == Architecture.CNN && convFilters.size() > 3) {
      throw new IllegalArgumentException("at most 3 convolutions fit 28x28 images (each 3x3 conv and 2x2 pool"
          + " shrinks them), got " + convFilters.size());
    }
  }

  /** The MLP with these hidden layers. */
  public static ModelConfig mlp(List<Integer> hiddenUnits) {
    return new ModelConfig(Architecture.MLP, hiddenUnits, List.of(), 0);
  }

  /** The default network of {@code architecture}: {@link #DEFAULTS} or {@link #CNN_DEFAULTS}. */
  public static ModelConfig defaults(Architecture architecture) {
    return architecture == Architecture.CNN ? CNN_DEFAULTS : DEFAULTS;
  }

  public ModelConfig withHiddenUnits(List<Integer> units) {
    return new ModelConfig(architecture, units, convFilters, dropout);
  }

  public ModelConfig withConvFilters(List<Integer> filters) {
    return new ModelConfig(architecture, hiddenUnits, filters, dropout);
  }

  public ModelConfig withDropout(double rate) {
    return new ModelConfig(architecture, hiddenUnits, convFilters, rate);
  }

  /** A short description of the layers, e.g. {@code 784-50-50-10} or {@code conv32-conv64-drop0.5-10}. */
  public String layers() {
    StringBuilder s = new StringBuilder();
    if (architecture == Architecture.MLP) {
      s.append(28 * 28);
    } else {
      convFilters.forEach(f -> s.append(s.length() == 0 ? "" : "-").append("conv").append(f));
      if (dropout > 0) {
        s.append("-drop").append(dropout);
      }
    }
    hiddenUnits.forEach(h -> s.append('-').append(h));
    return s.append("-10").toString();
  }
}
