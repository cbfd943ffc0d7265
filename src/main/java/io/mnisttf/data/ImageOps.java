package io.mnisttf.data;

/**
 * The image operations of {@link Augmenter}, on 28x28 float images (row-major, ink positive, 0 outside the
 * image). Each reads {@code in} and writes every pixel of {@code out}.
 */
final class ImageOps {
  private static final int N = MnistData.ROWS;
  /** Widest Gaussian kernel half-width, pixels. */
  private static final int MAX_RADIUS = 8;

  private ImageOps() {}

  /**
   * Thicker ({@code amount > 0}) or thinner ({@code amount < 0}) strokes: {@code in} blended with its grey-level
   * dilation (maximum) or erosion (minimum) over a 3x3 cross, by {@code |amount|} in [0, 1].
   */
  static void stroke(float[] in, float[] out, float amount) {
    boolean thicker = amount > 0;
    float share = Math.abs(amount);
    for (int y = 0; y < N; y++) {
      for (int x = 0; x < N; x++) {
        int p = y * N + x;
        float v = in[p];
        float up = y > 0 ? in[p - N] : 0;
        float down = y < N - 1 ? in[p + N] : 0;
        float left = x > 0 ? in[p - 1] : 0;
        float right = x < N - 1 ? in[p + 1] : 0;
        float m = thicker ? Math.max(v, Math.max(Math.max(up, down), Math.max(left, right)))
            : Math.min(v, Math.min(Math.min(up, down), Math.min(left, right)));
        out[p] = v + share * (m - v);
      }
    }
  }

  /**
   * An affine transformation, sampled bilinearly: output pixel (x, y) takes the input at
   * {@code inverse * (x - outX, y - outY) + (centre, centre)}, where {@code inverse} is row-major 2x2; the point
   * (centre, centre) of the input lands on (outX, outY).
   */
  static void affine(float[] in, float[] out, double[] inverse, double outX, double outY, double centre) {
    for (int y = 0; y < N; y++) {
      double uy = y - outY;
      for (int x = 0; x < N; x++) {
        double ux = x - outX;
        double sx = inverse[0] * ux + inverse[1] * uy + centre;
        double sy = inverse[2] * ux + inverse[3] * uy + centre;
        out[y * N + x] = bilinear(in, sx, sy);
      }
    }
  }

  private static float bilinear(float[] in, double x, double y) {
    if (!(x > -1 && x < N && y > -1 && y < N)) {
      return 0;
    }
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    float fx = (float) (x - x0);
    float fy = (float) (y - y0);
    float top = (1 - fx) * at(in, x0, y0) + fx * at(in, x0 + 1, y0);
    float bottom = (1 - fx) * at(in, x0, y0 + 1) + fx * at(in, x0 + 1, y0 + 1);
    return (1 - fy) * top + fy * bottom;
  }

  private static float at(float[] in, int x, int y) {
    return x < 0 || y < 0 || x >= N || y >= N ? 0 : in[y * N + x];
  }

  /** A Gaussian blur of standard deviation {@code sigma} pixels (separable; {@code rows} is work space). */
  static void blur(float[] in, float[] out, float[] rows, double sigma) {
    float[] kernel = gaussian(sigma);
    int r = kernel.length / 2;
    for (int y = 0; y < N; y++) {
      for (int x = 0; x < N; x++) {
        float sum = 0;
        for (int k = -r; k <= r; k++) {
          int xx = x + k;
          if (xx >= 0 && xx < N) {
            sum += kernel[k + r] * in[y * N + xx];
          }
        }
        rows[y * N + x] = sum;
      }
    }
    for (int y = 0; y < N; y++) {
      for (int x = 0; x < N; x++) {
        float sum = 0;
        for (int k = -r; k <= r; k++) {
          int yy = y + k;
          if (yy >= 0 && yy < N) {
            sum += kernel[k + r] * rows[yy * N + x];
          }
        }
        out[y * N + x] = sum;
      }
    }
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
