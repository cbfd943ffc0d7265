package io.mnisttf.data;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Images and labels of one part of MNIST, held compactly as the file stores them.
 *
 * <p>{@code pixels} holds {@code size() * 784} unsigned bytes (0..255), image after image, each 28x28 in
 * row-major order; {@code labels} holds one class 0-9 per image. The pipeline scales pixels to [0,1] floats
 * when it assembles a batch ({@link #copyScaled}), so the data set stays a quarter of the size of a
 * float copy.
 *
 * @param pixels unsigned pixel bytes, {@code size() * PIXELS} of them
 * @param labels class of each image, 0-9
 */
public record MnistData(byte[] pixels, byte[] labels) {
  public static final int ROWS = 28;
  public static final int COLS = 28;
  public static final int PIXELS = ROWS * COLS;
  public static final int CLASSES = 10;

  public MnistData {
    Objects.requireNonNull(pixels, "pixels");
    Objects.requireNonNull(labels, "labels");
    if (pixels.length != (long) labels.length * PIXELS) {
      throw new IllegalArgumentException(
          "pixels must hold " + PIXELS + " bytes per label: " + labels.length + " labels, "
              + pixels.length + " pixel bytes");
    }
  }

  /** Number of examples. */
  public int size() {
    return labels.length;
  }

  /** Class of example {@code i}, 0-9. */
  public int label(int i) {
    return labels[i];
  }

  /**
   * Writes example {@code i}'s 784 pixels, scaled to [0,1], into {@code dst} from {@code offset}.
   */
  public void copyScaled(int i, float[] dst, int offset) {
    int from = i * PIXELS;
    for (int p = 0; p < PIXELS; p++) {
      dst[offset + p] = scaled(pixels[from + p] & 0xff);
    }
  }

  /** A pixel byte's value in [0,1], as {@link #copyScaled} writes it: {@code level * (1f / 255f)}. */
  public static float scaled(int level) {
    return level * (1f / 255f);
  }

  /** The first {@code n} examples (all of them when {@code n >= size()}). */
  public MnistData first(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    if (n >= size()) {
      return this;
    }
    return new MnistData(Arrays.copyOf(pixels, n * PIXELS), Arrays.copyOf(labels, n));
  }

  /** The examples at {@code indices}, in that order. */
  public MnistData subset(int[] indices) {
    byte[] p = new byte[indices.length * PIXELS];
    byte[] l = new byte[indices.length];
    for (int k = 0; k < indices.length; k++) {
      System.arraycopy(pixels, indices[k] * PIXELS, p, k * PIXELS, PIXELS);
      l[k] = labels[indices[k]];
    }
    return new MnistData(p, l);
  }

  /**
   * A training part and a held-out validation part of one data set, as indices into it (ascending, so both
   * parts keep the file order). No pixel is copied: {@link #train()} and {@link #validation()} make copies
   * only when a caller wants the parts as data sets of their own.
   *
   * @param data the whole data set
   * @param trainIndices examples of the training part
   * @param validationIndices examples of the validation part
   */
  public record Split(MnistData data, int[] trainIndices, int[] validationIndices) {
    /** Two separate data sets as one split: {@code train} first, then {@code validation}. */
    public static Split of(MnistData train, MnistData validation) {
      byte[] pixels = Arrays.copyOf(train.pixels, train.pixels.length + validation.pixels.length);
      System.arraycopy(validation.pixels, 0, pixels, train.pixels.length, validation.pixels.length);
      byte[] labels = Arrays.copyOf(train.labels, train.size() + validation.size());
      System.arraycopy(validation.labels, 0, labels, train.size(), validation.size());
      int[] trainIndices = new int[train.size()];
      Arrays.setAll(trainIndices, i -> i);
      int[] validationIndices = new int[validation.size()];
      Arrays.setAll(validationIndices, i -> train.size() + i);
      return new Split(new MnistData(pixels, labels), trainIndices, validationIndices);
    }

    /** The training part as a data set of its own (a copy). */
    public MnistData train() {
      return data.subset(trainIndices);
    }

    /** The validation part as a data set of its own (a copy). */
    public MnistData validation() {
      return data.subset(validationIndices);
    }
  }

  /**
   * Holds out {@code validationCount} examples chosen at random from the seed. The split is fixed: make it
   * once, then shuffle only the training part.
   */
  public Split split(int validationCount, long seed) {
    if (validationCount < 0 || validationCount >= size()) {
      throw new IllegalArgumentException("validation count must be in [0, " + size() + "), got "
          + validationCount);
    }
    int[] order = new int[size()];
    Arrays.setAll(order, i -> i);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = order.length - 1; i > 0; i--) { // Fisher-Yates
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] validation = Arrays.copyOf(order, validationCount);
    int[] train = Arrays.copyOfRange(order, validationCount, order.length);
    Arrays.sort(validation);
    Arrays.sort(train);
    return new Split(this, train, validation);
  }
}
