package io.mnisttf.predict;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A user's digit image converted to the MNIST convention, ready for a model trained on MNIST.
 *
 * <p>{@link #load} reads a PNG or JPEG of any size, dark-on-light or light-on-dark, converts it to
 * luminance (transparent areas count as white paper), makes the digit the light part on black, crops its
 * bounding box, scales the box so its longer side is 20 pixels keeping the aspect ratio (area averaging),
 * and places it in 28x28 with its centre of mass on pixel (14,14): the preprocessing described for MNIST
 * itself. A photo with uneven lighting, several objects or specks far from the digit may need cropping
 * first: the bounding box takes in everything that stands out from the border's colour.
 *
 * @param source the file it was read from (for messages and output)
 * @param width the original width in pixels
 * @param height the original height in pixels
 * @param inverted whether the original was dark on light and had to be inverted
 * @param pixels 784 values in [0,1], row-major 28x28, 0 background, 1 full ink (as
 *     {@code MnistData.copyScaled} gives)
 */
public record DigitImage(Path source, int width, int height, boolean inverted, float[] pixels) {
  /** Side of the MNIST field in pixels. */
  public static final int SIZE = MnistNormalizer.SIZE;

  public DigitImage {
    Objects.requireNonNull(source, "source");
    if (pixels.length != SIZE * SIZE) {
      throw new IllegalArgumentException(pixels.length + " pixels (" + SIZE * SIZE + " expected)");
    }
    pixels = pixels.clone();
  }

  /** A copy of the 784 values. */
  @Override
  public float[] pixels() {
    return pixels.clone();
  }

  /**
   * Image {@code index} of an MNIST data set, already in MNIST's convention (no conversion).
   *
   * @param source named in messages and kept in the result (the data set's folder, say)
   */
  public static DigitImage of(io.mnisttf.data.MnistData data, int index, Path source) {
    float[] pixels = new float[SIZE * SIZE];
    data.copyScaled(index, pixels, 0);
    return new DigitImage(source, SIZE, SIZE, false, pixels);
  }

  /**
   * Reads and converts one image file.
   *
   * @throws DigitImageException (one line naming the file) when the file is missing, empty, not a PNG or
   *     JPEG, undecodable, larger than 40 megapixels, or shows no digit
   */
  public static DigitImage load(Path file) throws DigitImageException {
    return of(ImageFiles.read(file), file);
  }

  /**
   * Converts an image already in memory.
   *
   * @param source named in messages and kept in the result
   * @throws DigitImageException when the image shows no digit (it is blank)
   */
  public static DigitImage of(BufferedImage image, Path source) throws DigitImageException {
    MnistNormalizer.Result result;
    try {
      result = MnistNormalizer.normalize(GrayImage.of(image));
    } catch (IllegalArgumentException e) {
      throw new DigitImageException(source, e.getMessage(), e);
    }
    return new DigitImage(source, image.getWidth(), image.getHeight(), result.inverted(), result.pixels());
  }

  /** The 28x28 result as an 8-bit grey image, light digit on black as in MNIST (for checking by eye). */
  public BufferedImage toImage() {
    BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster raster = image.getRaster();
    for (int i = 0; i < pixels.length; i++) {
      raster.setSample(i % SIZE, i / SIZE, 0, Math.round(pixels[i] * 255));
    }
    return image;
  }
}
