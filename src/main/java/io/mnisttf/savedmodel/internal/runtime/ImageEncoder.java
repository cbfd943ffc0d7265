package io.mnisttf.savedmodel.internal.runtime;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import io.mnisttf.savedmodel.ImageDecode;

/**
 * Encodes one grayscale image (8-bit pixels, row-major) as the file bytes an image decode op takes: PNG and GIF
 * (lossless: a gray image has at most 256 levels, a GIF palette's size), JPEG at the highest quality, or BMP (8,
 * 24 or 32 bits per pixel, written here: the JDK's writer has no 32-bit form). The gray value goes into every
 * colour channel; an alpha channel is opaque. Thread-safe (every call has its own writer).
 */
public final class ImageEncoder {
  private ImageEncoder() {}

  /**
   * The encoded image.
   *
   * @param gray {@code width * height} pixel values 0..255, from {@code offset}
   * @param channels 1 (grayscale), 3 (RGB) or 4 (RGBA); GIF and BMP take 1 or 3 as their own formats
   */
  public static byte[] encode(ImageDecode.Format format, int channels, byte[] gray, int offset, int width, int height) {
    if (format == ImageDecode.Format.BMP) {
      return bmp(channels, gray, offset, width, height);
    }
    BufferedImage image = image(format == ImageDecode.Format.GIF ? 1 : channels, gray, offset, width, height);
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try {
      if (format == ImageDecode.Format.JPEG) {
        jpeg(image, out);
      } else if (!ImageIO.write(image, format == ImageDecode.Format.GIF ? "gif" : "png", out)) {
        throw new IllegalStateException("no " + format + " writer for a " + channels + "-channel image");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory
    }
    return out.toByteArray();
  }

  private static BufferedImage image(int channels, byte[] gray, int offset, int width, int height) {
    int type = switch (channels) {
      case 1 -> BufferedImage.TYPE_BYTE_GRAY;
      case 3 -> BufferedImage.TYPE_3BYTE_BGR;
      case 4 -> BufferedImage.TYPE_4BYTE_ABGR;
      default -> throw new IllegalArgumentException("1, 3 or 4 channels expected, got " + channels);
    };
    BufferedImage image = new BufferedImage(width, height, type);
    var raster = image.getRaster();
    int[] pixel = new int[channels];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int v = gray[offset + y * width + x] & 0xff;
        for (int c = 0; c < channels; c++) {
          pixel[c] = c == 3 ? 255 : v;
        }
        raster.setPixel(x, y, pixel);
      }
    }
    return image;
  }

  private static void jpeg(BufferedImage image, ByteArrayOutputStream out) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(1f);
      writer.setOutput(stream);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
  }

  /** A bottom-up BMP: 8-bit with a gray palette, or 24/32-bit BGR(A), rows padded to 4 bytes. */
  private static byte[] bmp(int channels, byte[] gray, int offset, int width, int height) {
    int bytesPerPixel = channels == 4 ? 4 : channels == 1 ? 1 : 3;
    int palette = bytesPerPixel == 1 ? 256 * 4 : 0;
    int stride = (width * bytesPerPixel + 3) & ~3;
    int dataOffset = 14 + 40 + palette;
    ByteBuffer b = ByteBuffer.allocate(dataOffset + stride * height).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'B').put((byte) 'M').putInt(b.capacity()).putInt(0).putInt(dataOffset);
    b.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) (8 * bytesPerPixel))
        .putInt(0).putInt(stride * height).putInt(2835).putInt(2835).putInt(bytesPerPixel == 1 ? 256 : 0).putInt(0);
    for (int i = 0; i < palette / 4; i++) {
      b.put((byte) i).put((byte) i).put((byte) i).put((byte) 0);
    }
    for (int y = height - 1; y >= 0; y--) {
      int start = b.position();
      for (int x = 0; x < width; x++) {
        byte v = gray[offset + y * width + x];
        for (int c = 0; c < bytesPerPixel; c++) {
          b.put(c == 3 ? (byte) 255 : v);
        }
      }
      b.position(start + stride);
    }
    return b.array();
  }
}
