package io.mnisttf.savedmodel;

import java.util.Locale;

/**
 * How a model whose input is encoded images (a string tensor, as TF Serving's REST API sends
 * {@code {"b64": ...}}) decodes them in its graph: the decode op reached from the input, the format to encode
 * MNIST's images in so that the op decodes them, and the channels it asks for.
 *
 * @param op the decode op's type: {@code DecodePng}, {@code DecodeJpeg}, {@code DecodeAndCropJpeg},
 *     {@code DecodeImage}, {@code DecodeBmp} or {@code DecodeGif}
 * @param node the decode op's node name (inside a function: {@code function/node})
 * @param format what each image is encoded as: lossless PNG wherever the op decodes it
 * @param channels the channels the op asks for (its {@code channels} attr; 0: the image's own)
 */
public record ImageDecode(String op, String node, Format format, int channels) {
  /** An image file format. */
  public enum Format {
    PNG, JPEG, BMP, GIF;

    /** {@code PNG}. */
    public String label() {
      return name();
    }
  }

  /**
   * The channels of the images written, as the op decodes them: the channels it asks for, else 1 (grayscale),
   * or 3 for a BMP (24-bit, the kind every BMP reader takes) and for a GIF (a gray palette, decoded as RGB).
   */
  public int encodedChannels() {
    if (format == Format.GIF) {
      return 3;
    }
    if (channels == 0) {
      return format == Format.BMP ? 3 : 1;
    }
    return channels;
  }

  /** {@code PNG bytes, 1 channel (28x28 images), decoded by DecodePng 'map/while/DecodePng'}. */
  public String describe() {
    int c = encodedChannels();
    return String.format(Locale.ROOT, "%s bytes, %d channel%s (28x28 images), decoded by %s '%s'", format.label(), c,
        c == 1 ? "" : "s", op, node);
  }
}
