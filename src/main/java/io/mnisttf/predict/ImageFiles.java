package io.mnisttf.predict;

import io.mnisttf.util.Problems;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads PNG and JPEG files with ImageIO, recognising the format from the content (not the file name) and
 * refusing other formats, empty files and images too large to hold in memory.
 */
final class ImageFiles {
  /** Largest image accepted, in pixels (e.g. 8000 x 5000). */
  static final long MAX_PIXELS = 40_000_000L;

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private ImageFiles() {}

  static BufferedImage read(Path file) throws DigitImageException {
    if (!Files.isRegularFile(file)) {
      throw new DigitImageException(file, Files.exists(file)
          ? "not a regular file (a PNG or JPEG image expected)" : "no such file");
    }
    try {
      if (Files.size(file) == 0) {
        throw new DigitImageException(file, "empty file (a PNG or JPEG image expected)");
      }
      try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
        if (in == null) {
          throw new DigitImageException(file, "unreadable (no image input stream)");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
          throw new DigitImageException(file, "not a PNG or JPEG image (content not recognised)");
        }
        ImageReader reader = readers.next();
        String format = reader.getFormatName().toUpperCase(Locale.ROOT);
        try {
          if (!format.equals("PNG") && !format.equals("JPEG")) {
            throw new DigitImageException(file, format + " image (PNG or JPEG expected)");
          }
          reader.setInput(in, true, true);
          long width = reader.getWidth(0);
          long height = reader.getHeight(0);
          if (width * height > MAX_PIXELS) {
            throw new DigitImageException(file, String.format(Locale.ROOT,
                "%dx%d image is too large (at most %d pixels)", width, height, MAX_PIXELS));
          }
          return reader.read(0);
        } catch (DigitImageException e) {
          throw e;
        } catch (IOException | RuntimeException e) {
          throw new DigitImageException(file, "unreadable " + format + " image (" + Problems.describe(e) + ")", e);
        } finally {
          reader.dispose();
        }
      }
    } catch (NoSuchFileException e) {
      throw new DigitImageException(file, "no such file");
    } catch (DigitImageException e) {
      throw e;
    } catch (IOException e) {
      throw new DigitImageException(file, "unreadable (" + Problems.describe(e) + ")", e);
    }
  }
}
