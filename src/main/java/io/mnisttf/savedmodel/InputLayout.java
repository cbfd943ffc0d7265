package io.mnisttf.savedmodel;

import java.util.Arrays;
import java.util.Optional;

/**
 * How a batch of MNIST images is shaped for a model's input. All four share one memory layout (28 rows of
 * 28 pixels per image), so only the shape given to the tensor differs.
 */
public enum InputLayout {
  /** {@code [n,28,28]}: Keras {@code Flatten(input_shape=(28,28))} models and ours. */
  IMAGE(28, 28),
  /** {@code [n,784]}: flat vectors (TF1 tutorials, Dense-only models). */
  FLAT(784),
  /** {@code [n,28,28,1]}: channels-last CNNs. */
  IMAGE_CHANNELS_LAST(28, 28, 1),
  /** {@code [n,1,28,28]}: channels-first CNNs. */
  IMAGE_CHANNELS_FIRST(1, 28, 28);

  private final long[] exampleDims;

  InputLayout(long... exampleDims) {
    this.exampleDims = exampleDims;
  }

  /** The tensor shape for {@code batch} images. */
  public long[] shape(long batch) {
    long[] shape = new long[exampleDims.length + 1];
    shape[0] = batch;
    System.arraycopy(exampleDims, 0, shape, 1, exampleDims.length);
    return shape;
  }

  /** The rank of the tensor (batch dimension included). */
  public int rank() {
    return exampleDims.length + 1;
  }

  /** The shape with a free batch dimension, as {@code [-1,28,28]}. */
  public String describe() {
    return TensorSpec.shapeText(shape(-1));
  }

  /**
   * The layout whose shape fits {@code dims} (batch dimension first; -1 matches any size), trying
   * {@link #IMAGE}, {@link #FLAT}, {@link #IMAGE_CHANNELS_LAST} then {@link #IMAGE_CHANNELS_FIRST}.
   * Empty when none fits, when the rank is unknown ({@code null}), or when the batch dimension is 0.
   */
  public static Optional<InputLayout> match(long[] dims) {
    if (dims == null || dims.length < 2 || dims[0] == 0 || dims[0] < -1) {
      return Optional.empty();
    }
    return Arrays.stream(values()).filter(l -> l.fits(dims)).findFirst();
  }

  private boolean fits(long[] dims) {
    if (dims.length != exampleDims.length + 1) {
      return false;
    }
    for (int i = 0; i < exampleDims.length; i++) {
      long d = dims[i + 1];
      if (d != -1 && d != exampleDims[i]) {
        return false;
      }
    }
    return true;
  }

  /** Every layout's shape, for messages: {@code [-1,28,28], [-1,784], [-1,28,28,1] or [-1,1,28,28]}. */
  static String allShapes() {
    InputLayout[] all = values();
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < all.length; i++) {
      s.append(i == 0 ? "" : i == all.length - 1 ? " or " : ", ").append(all[i].describe());
    }
    return s.toString();
  }
}
