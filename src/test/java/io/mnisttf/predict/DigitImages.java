package io.mnisttf.predict;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Synthetic digit pictures drawn with Java2D, and measurements of a converted 28x28 result. */
final class DigitImages {
  private DigitImages() {}

  /** A thick "7" on a {@code width x height} canvas. */
  static BufferedImage seven(int width, int height, Color ink, Color paper, int type) {
    BufferedImage image = new BufferedImage(width, height, type);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(paper);
    g.fillRect(0, 0, width, height);
    g.setColor(ink);
    g.setStroke(new BasicStroke(height * 0.08f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    int[] xs = {(int) (width * 0.36), (int) (width * 0.64), (int) (width * 0.45)};
    int[] ys = {(int) (height * 0.2), (int) (height * 0.2), (int) (height * 0.85)};
    g.drawPolyline(xs, ys, 3);
    g.dispose();
    return image;
  }

  /** A filled rectangle of the given size, centred on a 300x200 white canvas. */
  static BufferedImage bar(int barWidth, int barHeight) {
    BufferedImage image = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 300, 200);
    g.setColor(Color.BLACK);
    g.fillRect((300 - barWidth) / 2, (200 - barHeight) / 2, barWidth, barHeight);
    g.dispose();
    return image;
  }

  /** {x0, y0, x1, y1} of the pixels above {@code threshold}, or null if none. */
  static int[] box(float[] pixels, float threshold) {
    int x0 = 28;
    int y0 = 28;
    int x1 = -1;
    int y1 = -1;
    for (int i = 0; i < pixels.length; i++) {
      if (pixels[i] > threshold) {
        x0 = Math.min(x0, i % 28);
        x1 = Math.max(x1, i % 28);
        y0 = Math.min(y0, i / 28);
        y1 = Math.max(y1, i / 28);
      }
    }
    return x1 < 0 ? null : new int[] {x0, y0, x1, y1};
  }

  /** Centre of mass {x, y} in row/column index coordinates. */
  static double[] centreOfMass(float[] pixels) {
    double m = 0;
    double x = 0;
    double y = 0;
    for (int i = 0; i < pixels.length; i++) {
      m += pixels[i];
      x += pixels[i] * (i % 28);
      y += pixels[i] * (i / 28);
    }
    return new double[] {x / m, y / m};
  }

  /** Pearson correlation. */
  static double correlation(float[] a, float[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }
}
