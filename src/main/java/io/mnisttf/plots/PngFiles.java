package io.mnisttf.plots;

import io.mnisttf.util.AtomicFiles;
import io.mnisttf.util.Problems;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Writes PNG files atomically: the image goes to a temporary file in the target's folder, which is then
 * moved over the target in one step, so a reader never sees a half-written PNG and a failed write leaves
 * an existing file untouched.
 */
public final class PngFiles {
  static {
    Headless.ensure();
  }

  private PngFiles() {}

  /**
   * Writes {@code image} as a PNG to {@code file}, creating missing parent folders and replacing an
   * existing file.
   *
   * @throws IOException naming the file when the folder cannot be created or the image cannot be written
   */
  public static void write(BufferedImage image, Path file) throws IOException {
    Path target = file.toAbsolutePath();
    try {
      Files.createDirectories(target.getParent());
    } catch (IOException e) {
      throw new IOException(file + ": cannot create the folder (" + Problems.describe(e) + ")", e);
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream(1 << 16);
    if (!ImageIO.write(image, "png", png)) {
      throw new IOException(file + ": no PNG writer for an image of type " + image.getType());
    }
    AtomicFiles.write(target, png.toByteArray());
  }
}
