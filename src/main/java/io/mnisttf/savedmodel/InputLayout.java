package io.mnisttf.savedmodel;

import java.util.Arrays;
import java.util.Optional;

/**
 * How a batch of MNIST images is shaped for a model's input. The 28x28 layouts share one memory layout (28
 * rows of 28 pixels per image), so only the shape given to the tensor differs; the 32x32 layouts take each
 * image zero-padded by 2 pixels on every side (LeNet-5's convention: MNIST's 20x20 digits centred in 32x32),
 * 32 rows of 32 pixels.
 */
public enum InputLayout {
  /** {@code [n,28,28]}: Keras {@code Flatten(input_shape=(28,28))} models and ours. */
  IMAGE(28, 28, 28),
  /** {@code [n,784]}: flat vectors (TF1 tutorials, Dense-only models). */
  FLAT(28, 784),
  /** {@code [n,28,28,1]}: channels-last CNNs. */
  IMAGE_CHANNELS_LAST(28, 28, 28, 1),
  /** {@code [n,1,28,28]}: channels-first CNNs. */
  IMAGE_CHANNELS_FIRST(28, 1, 28, 28),
  /** {@code [n,32,32]}: LeNet-5 style, padded. */
  PADDED_IMAGE(32, 32, 32),
  /** {@code [n,1024]}: padded, flat. */
  PADDED_FLAT(32, 1024),
  /** {@code [n,32,32,1]}: LeNet-5 style channels-last CNNs, padded. */
  PADDED_CHANNELS_LAST(32, 32, 32, 1),
  /** {@code [n,1,32,32]}: channels-first, padded. */
  PADDED_CHANNELS_FIRST(32, 1, 32, 32);

  /** Zero pixels added on each side of a 28x28 image for the 32x32 layouts. */
  public static final int PAD = 2;

  private final int side;
  private final long[] exampleDims;

  InputLayout(int side, long... exampleDims) {
    this.side = side;
    this.exampleDims = exampleDims;
  }

  /** The side of the square image fed: 28, or 32 for the padded layouts. */
  public int side() {
    return side;
  }

  /** Whether MNIST's 28x28 images are zero-padded to 32x32. */
  public boolean padded() {
    return side != 28;
  }

  /** Values per image: 784, or 1024 padded. */
  public int valuesPerImage() {
    return side * side;
  }

  /**
   * Copies one 28x28 image ({@code src} from {@code from}, 784 values) into {@code dst} from {@code to} in this
   * layout's frame, times {@code multiplier}: 784 values, or 1024 with a border of {@link #PAD} zeros.
   */
  public void copy(float[] src, int from, float multiplier, float[] dst, int to) {
    if (!padded()) {
      for (int i = 0; i < 784; i++) {
        dst[to + i] = src[from + i] * multiplier;
      }
      return;
    }
    java.util.Arrays.fill(dst, to, to + side * side, 0f);
    for (int r = 0; r < 28; r++) {
      int row = to + (r + PAD) * side + PAD;
      for (int c = 0; c < 28; c++) {
        dst[row + c] = src[from + r * 28 + c] * multiplier;
      }
    }
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
   * How images are fed, for the report: {@code [-1,28,28]}, or {@code [-1,32,32,1] (28x28 zero-padded to 32x32,
   * 2 pixels per side: LeNet-5's convention)}.
   */
  public String describeFeed() {
    return padded() ? describe() + " (28x28 zero-padded to 32x32, " + PAD + " pixels per side: LeNet-5's convention)"
        : describe();
  }

  /**
   * The layout whose shape fits {@code dims} (batch dimension first; -1 matches any size), trying
   * {@link #IMAGE}, {@link #FLAT}, {@link #IMAGE_CHANNELS_LAST}, {@link #IMAGE_CHANNELS_FIRST}, then the padded
   * 32x32 ones in the same order. Other sizes fit none.
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

  /** Every layout's shape, for messages: {@code [-1,28,28], [-1,784], ... or [-1,1,32,32]}. */
  public static String allShapes() {
    InputLayout[] all = values();
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < all.length; i++) {
      s.append(i == 0 ? "" : i == all.length - 1 ? " or " : ", ").append(all[i].describe());
    }
    return s.toString();
  }
}
