package io.mnisttf.plots;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Reading PNGs back and measuring their pixels. */
final class Pixels {
  private Pixels() {}

  /** Reads a file that must be a PNG (checked by its signature) and decodes it with ImageIO. */
  static BufferedImage readPng(Path file) throws IOException {
    byte[] head = new byte[8];
    try (var in = Files.newInputStream(file)) {
      if (in.readNBytes(head, 0, 8) != 8) {
        throw new IOException(file + ": shorter than a PNG signature");
      }
    }
    byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (!java.util.Arrays.equals(head, signature)) {
      throw new IOException(file + ": not a PNG (signature)");
    }
    BufferedImage image = ImageIO.read(file.toFile());
    if (image == null) {
      throw new IOException(file + ": ImageIO cannot decode it");
    }
    return image;
  }

  static Color at(BufferedImage image, int x, int y) {
    return new Color(image.getRGB(x, y));
  }

  /** Relative luminance-like brightness, 0 (black) to 255 (white). */
  static double brightness(Color c) {
    return 0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue();
  }

  static boolean near(Color a, Color b, int tolerance) {
    return Math.abs(a.getRed() - b.getRed()) <= tolerance && Math.abs(a.getGreen() - b.getGreen()) <= tolerance
        && Math.abs(a.getBlue() - b.getBlue()) <= tolerance;
  }

  /** Pixels of the whole image within {@code tolerance} of {@code color} in every channel. */
  static int count(BufferedImage image, Color color, int tolerance) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        n += near(at(image, x, y), color, tolerance) ? 1 : 0;
      }
    }
    return n;
  }

  static int distinctColours(BufferedImage image) {
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }
}
