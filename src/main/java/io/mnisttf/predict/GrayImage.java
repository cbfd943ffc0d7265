package io.mnisttf.predict;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * An image as luminance: {@code width * height} values in [0,255] (0 black, 255 white), row-major.
 * Transparent pixels are composited onto white first.
 */
record GrayImage(int width, int height, float[] values) {
  GrayImage {
    if (values.length != width * height) {
      throw new IllegalArgumentException(values.length + " values for a " + width + "x" + height + " image");
    }
  }

  float get(int x, int y) {
    return values[y * width + x];
  }

  /**
   * Converts any BufferedImage. Grey images (with or without alpha) are read from their samples: Java's
   * grey colour space is linear, so {@code getRGB} would brighten them (64 becomes 137). Everything else
   * goes through {@code getRGB} (sRGB) and Rec. 601 luma, 0.299 R + 0.587 G + 0.114 B, as PIL's "L" mode.
   */
  static GrayImage of(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    float[] values = new float[w * h];
    ColorModel cm = image.getColorModel();
    if (!(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
        && cm.getNumColorComponents() == 1) {
      Raster raster = image.getRaster();
      float grayMax = (1L << cm.getComponentSize(0)) - 1;
      boolean alpha = cm.hasAlpha();
      float alphaMax = alpha ? (1L << cm.getComponentSize(1)) - 1 : 1;
      boolean premultiplied = cm.isAlphaPremultiplied();
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float g = raster.getSample(x, y, 0) / grayMax * 255f;
          if (alpha) {
            float a = raster.getSample(x, y, 1) / alphaMax;
            g = premultiplied ? g + 255f * (1 - a) : g * a + 255f * (1 - a);
          }
          values[y * w + x] = g;
        }
      }
    } else {
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        image.getRGB(0, y, w, 1, row, 0, w);
        for (int x = 0; x < w; x++) {
          int argb = row[x];
          float a = (argb >>> 24) / 255f;
          float luma = 0.299f * ((argb >> 16) & 0xff) + 0.587f * ((argb >> 8) & 0xff) + 0.114f * (argb & 0xff);
          values[y * w + x] = luma * a + 255f * (1 - a);
        }
      }
    }
    return new GrayImage(w, h, values);
  }
}
