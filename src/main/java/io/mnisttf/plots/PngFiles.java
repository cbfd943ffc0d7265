package io.mnisttf.plots;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
    Path dir = target.getParent();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IOException(file + ": cannot create the folder (" + e.getMessage() + ")", e);
    }
    Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    try {
      if (!ImageIO.write(image, "png", temp.toFile())) {
        throw new IOException(file + ": no PNG writer for an image of type " + image.getType());
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e.getMessage() != null && e.getMessage().startsWith(file.toString()) ? e
          : new IOException(file + ": cannot write the PNG (" + e.getMessage() + ")", e);
    }
  }
}
