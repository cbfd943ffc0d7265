package io.mnisttf.data;

/**
 * Resizes a single-channel float image, one axis at a time: area averaging where an axis shrinks (each
 * output pixel is the mean of the source area it covers, fractional pixels weighted by their overlap),
 * bilinear interpolation where it grows.
 */
public final class Resampler {
  private Resampler() {}

  /** Weights of the source pixels that make one output pixel: {@code src[first + i] * weights[i]}. */
  record Taps(int first, float[] weights) {}

  /** {@code src} ({@code width x height}) resized to {@code newWidth x newHeight}. */
  public static float[] resize(float[] src, int width, int height, int newWidth, int newHeight) {
    if (width < 1 || height < 1 || newWidth < 1 || newHeight < 1) {
      throw new IllegalArgumentException("sizes must be >= 1: " + width + "x" + height + " to "
          + newWidth + "x" + newHeight);
    }
    float[] out = new float[newHeight * newWidth];
    resize(src, width, height, taps(width, newWidth), taps(height, newHeight), new float[height * newWidth], out);
    return out;
  }

  /**
   * {@code src} ({@code width x height}) resized with taps computed once ({@code across}: width to new width,
   * {@code down}: height to new height) into {@code out}, with {@code rows} (at least height x new width floats)
   * as work space: for callers that resize many images the same way.
   */
  static void resize(float[] src, int width, int height, Taps[] across, Taps[] down, float[] rows, float[] out) {
    int newWidth = across.length;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < newWidth; x++) {
        Taps t = across[x];
        float sum = 0;
        for (int i = 0; i < t.weights().length; i++) {
          sum += src[y * width + t.first() + i] * t.weights()[i];
        }
        rows[y * newWidth + x] = sum;
      }
    }
    for (int y = 0; y < down.length; y++) {
      Taps t = down[y];
      for (int x = 0; x < newWidth; x++) {
        float sum = 0;
        for (int i = 0; i < t.weights().length; i++) {
          sum += rows[(t.first() + i) * newWidth + x] * t.weights()[i];
        }
        out[y * newWidth + x] = sum;
      }
    }
  }

  /** Area-average taps when shrinking {@code in} to {@code out}, bilinear (centres aligned) when growing. */
  static Taps[] taps(int in, int out) {
    Taps[] taps = new Taps[out];
    double scale = (double) in / out;
    for (int o = 0; o < out; o++) {
      if (out < in) {
        double lo = o * scale;
        double hi = (o + 1) * scale;
        int first = (int) Math.floor(lo);
        int last = Math.min(in - 1, (int) Math.ceil(hi) - 1);
        float[] weights = new float[last - first + 1];
        for (int j = first; j <= last; j++) {
          double overlap = Math.min(hi, j + 1) - Math.max(lo, j);
          weights[j - first] = (float) (Math.max(0, overlap) / scale);
        }
        taps[o] = new Taps(first, weights);
      } else {
        double u = Math.max(0, Math.min(in - 1, (o + 0.5) * scale - 0.5));
        int j = Math.min(in - 1, (int) Math.floor(u));
        float f = (float) (u - j);
        taps[o] = j + 1 < in ? new Taps(j, new float[] {1 - f, f}) : new Taps(j, new float[] {1});
      }
    }
    return taps;
  }
}
