package io.mnisttf.data;

/**
 * The image operations of {@link Augmenter}, on 28x28 float images (row-major, ink positive, 0 outside the
 * image). Each reads {@code in} and writes every pixel of {@code out}.
 */
final class ImageOps {
  private static final int N = MnistData.ROWS;
  /** Side of an image with a one-pixel border. */
  private static final int P = N + 2;
  /** Floats in an image with a one-pixel border. */
  static final int PADDED_PIXELS = P * P;
  /** Widest Gaussian kernel half-width, pixels. */
  private static final int MAX_RADIUS = 8;

  private ImageOps() {}

  /**
   * Thicker ({@code amount > 0}) or thinner ({@code amount < 0}) strokes: {@code in} blended with its grey-level
   * dilation (maximum) or erosion (minimum) over a 3x3 cross, by {@code |amount|} in [0, 1]. {@code padded}
   * ({@link #PADDED_PIXELS} floats) is work space.
   */
  static void stroke(float[] in, float[] out, float[] padded, float amount) {
    pad(in, padded);
    boolean thicker = amount > 0;
    float share = Math.abs(amount);
    for (int y = 0; y < N; y++) {
      for (int x = 0; x < N; x++) {
        int p = (y + 1) * P + x + 1;
        float v = padded[p];
        float m = v;
        if (thicker) {
          m = max(max(m, padded[p - P]), max(padded[p + P], max(padded[p - 1], padded[p + 1])));
        } else {
          m = min(min(m, padded[p - P]), min(padded[p + P], min(padded[p - 1], padded[p + 1])));
        }
        out[y * N + x] = v + share * (m - v);
      }
    }
  }

  /** The larger (no NaN handling: pixels are finite; faster than {@code Math.max} without C2). */
  private static float max(float a, float b) {
    return a > b ? a : b;
  }

  private static float min(float a, float b) {
    return a < b ? a : b;
  }

  /** {@code in} with a border of zeros, into {@code padded}. */
  private static void pad(float[] in, float[] padded) {
    java.util.Arrays.fill(padded, 0f);
    for (int y = 0; y < N; y++) {
      System.arraycopy(in, y * N, padded, (y + 1) * P + 1, N);
    }
  }

  /**
   * An affine transformation, sampled bilinearly: output pixel (x, y) takes the input at
   * {@code inverse * (x - outX, y - outY) + (centre, centre)}, where {@code inverse} is row-major 2x2; the point
   * (centre, centre) of the input lands on (outX, outY). {@code padded} ({@link #PADDED_PIXELS} floats) is work
   * space: the input with a border of zeros, so that no sample needs a bounds check.
   */
  static void affine(float[] in, float[] out, float[] padded, double[] inverse, double outX, double outY,
      double centre) {
    pad(in, padded);
    double a = inverse[0];
    double b = inverse[1];
    double c = inverse[2];
    double d = inverse[3];
    for (int y = 0; y < N; y++) {
      double uy = y - outY;
      // source position of (x, y), shifted by one pixel into the padded frame
      double sx = a * -outX + b * uy + centre + 1;
      double sy = c * -outX + d * uy + centre + 1;
      for (int x = 0; x < N; x++, sx += a, sy += c) {
        float v = 0;
        if (sx > 0 && sx < N + 1 && sy > 0 && sy < N + 1) {
          int x0 = (int) sx;
          int y0 = (int) sy;
          float fx = (float) (sx - x0);
          float fy = (float) (sy - y0);
          int p = y0 * P + x0;
          float top = padded[p] + fx * (padded[p + 1] - padded[p]);
          float bottom = padded[p + P] + fx * (padded[p + P + 1] - padded[p + P]);
          v = top + fy * (bottom - top);
        }
        out[y * N + x] = v;
      }
    }
  }

  /** A Gaussian blur of standard deviation {@code sigma} pixels (separable; {@code rows} is work space). */
  static void blur(float[] in, float[] out, float[] rows, double sigma) {
    float[] kernel = gaussian(sigma);
    int r = kernel.length / 2;
    for (int y = 0; y < N; y++) {
      int row = y * N;
      for (int x = 0; x < N; x++) {
        float sum = 0;
        for (int k = Math.max(-r, -x), last = Math.min(r, N - 1 - x); k <= last; k++) {
          sum += kernel[k + r] * in[row + x + k];
        }
        rows[row + x] = sum;
      }
    }
    for (int y = 0; y < N; y++) {
      int first = Math.max(-r, -y);
      int last = Math.min(r, N - 1 - y);
      for (int x = 0; x < N; x++) {
        float sum = 0;
        for (int k = first; k <= last; k++) {
          sum += kernel[k + r] * rows[(y + k) * N + x];
        }
        out[y * N + x] = sum;
      }
    }
  }

  /** Fewest and most cells across the image that {@link #pixelate} keeps. */
  static final int MIN_CELLS = 8;
  static final int MAX_CELLS = 14;
  private static final Resampler.Taps[][] DOWN = new Resampler.Taps[MAX_CELLS + 1][];
  private static final Resampler.Taps[][] UP = new Resampler.Taps[MAX_CELLS + 1][];

  static {
    for (int cells = MIN_CELLS; cells <= MAX_CELLS; cells++) {
      DOWN[cells] = Resampler.taps(N, cells);
      UP[cells] = Resampler.taps(cells, N);
    }
  }

  /**
   * The image at a lower resolution, {@code cells x cells} ({@link #MIN_CELLS} to {@link #MAX_CELLS}), brought
   * back to 28x28: area averages down, bilinear up (as {@code predict} scales a user's image), so strokes become
   * soft blocks, as in a small or coarsely scanned digit. {@code small} and {@code rows} are work space
   * (784 floats each).
   */
  static void pixelate(float[] in, float[] out, float[] small, float[] rows, int cells) {
    Resampler.resize(in, N, N, DOWN[cells], DOWN[cells], rows, small);
    Resampler.resize(small, cells, cells, UP[cells], UP[cells], rows, out);
  }

  /** A normalised Gaussian kernel of half-width {@code ceil(2.5 sigma)} (at most 8). */
  static float[] gaussian(double sigma) {
    int r = Math.min(MAX_RADIUS, Math.max(1, (int) Math.ceil(2.5 * sigma)));
    float[] kernel = new float[2 * r + 1];
    double total = 0;
    for (int k = -r; k <= r; k++) {
      total += Math.exp(-k * k / (2 * sigma * sigma));
    }
    for (int k = -r; k <= r; k++) {
      kernel[k + r] = (float) (Math.exp(-k * k / (2 * sigma * sigma)) / total);
    }
    return kernel;
  }
}
