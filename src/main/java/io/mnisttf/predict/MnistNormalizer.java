package io.mnisttf.predict;

import io.mnisttf.data.MnistData;
import io.mnisttf.data.Resampler;
import java.util.Arrays;
import java.util.Locale;

/**
 * Turns a luminance image of one handwritten digit into MNIST's convention, following the data set's
 * description: light digit on a black background, the digit's bounding box scaled (aspect ratio kept) so
 * that its longer side is {@value #BOX} pixels, then placed in a 28x28 field so that its centre of mass
 * falls on pixel (14,14) (row and column indices, shifted by whole pixels).
 *
 * <ol>
 *   <li>Background: the median of the pixels along the border (a frame about 2% of the shorter side
 *   wide). If it is light (above mid-grey) the image is inverted, so the digit becomes the light part.
 *   <li>Contrast: ink = value - background, scaled so the strongest ink is 1; values under
 *   {@value #NOISE_FLOOR} of that become 0 (paper grain, JPEG ringing). Fewer than {@value #MIN_CONTRAST}
 *   grey levels between background and ink means there is no digit.
 *   <li>Bounding box: of the pixels with ink above {@value #BOX_THRESHOLD}.
 *   <li>Scaling: area averaging when the box shrinks (the usual case), bilinear when a tiny image grows.
 * </ol>
 */
final class MnistNormalizer {
  static final int SIZE = MnistData.ROWS;
  static final int BOX = 20;
  static final double CENTRE = 14.0;
  static final float NOISE_FLOOR = 0.1f;
  static final float BOX_THRESHOLD = 0.3f;
  static final float MIN_CONTRAST = 32f;

  private MnistNormalizer() {}

  /** The 784 values in [0,1] and whether the input was inverted (dark digit on a light background). */
  record Result(float[] pixels, boolean inverted) {}

  /** @throws IllegalArgumentException when no digit stands out from the background */
  static Result normalize(GrayImage image) {
    int w = image.width();
    int h = image.height();
    float background = borderMedian(image);
    boolean inverted = background > 127.5f;
    float[] ink = new float[w * h];
    float bg = inverted ? 255f - background : background;
    float peak = 0;
    for (int i = 0; i < ink.length; i++) {
      float v = inverted ? 255f - image.values()[i] : image.values()[i];
      ink[i] = Math.max(0, v - bg);
      peak = Math.max(peak, ink[i]);
    }
    if (peak < MIN_CONTRAST) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "no digit found: the image is blank (%.0f grey levels between background and darkest/lightest "
              + "pixel, at least %.0f expected)", peak, MIN_CONTRAST));
    }
    int x0 = w;
    int y0 = h;
    int x1 = -1;
    int y1 = -1;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float v = ink[y * w + x] / peak;
        v = v < NOISE_FLOOR ? 0 : v;
        ink[y * w + x] = v;
        if (v > BOX_THRESHOLD) {
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
          y0 = Math.min(y0, y);
          y1 = Math.max(y1, y);
        }
      }
    }
    int boxWidth = x1 - x0 + 1;
    int boxHeight = y1 - y0 + 1;
    float[] box = new float[boxWidth * boxHeight];
    for (int y = 0; y < boxHeight; y++) {
      System.arraycopy(ink, (y0 + y) * w + x0, box, y * boxWidth, boxWidth);
    }
    double scale = (double) BOX / Math.max(boxWidth, boxHeight);
    int newWidth = Math.max(1, Math.min(BOX, (int) Math.round(boxWidth * scale)));
    int newHeight = Math.max(1, Math.min(BOX, (int) Math.round(boxHeight * scale)));
    float[] patch = Resampler.resize(box, boxWidth, boxHeight, newWidth, newHeight);

    double mass = 0;
    double cx = 0;
    double cy = 0;
    for (int y = 0; y < newHeight; y++) {
      for (int x = 0; x < newWidth; x++) {
        float v = patch[y * newWidth + x] = Math.min(1f, Math.max(0f, patch[y * newWidth + x]));
        mass += v;
        cx += v * x;
        cy += v * y;
      }
    }
    int left = clamp((int) Math.round(CENTRE - cx / mass), 0, SIZE - newWidth);
    int top = clamp((int) Math.round(CENTRE - cy / mass), 0, SIZE - newHeight);
    float[] pixels = new float[SIZE * SIZE];
    for (int y = 0; y < newHeight; y++) {
      System.arraycopy(patch, y * newWidth, pixels, (top + y) * SIZE + left, newWidth);
    }
    return new Result(pixels, inverted);
  }

  /** Median of a border frame about 2% of the shorter side wide (at least one pixel). */
  static float borderMedian(GrayImage image) {
    int w = image.width();
    int h = image.height();
    int frame = Math.max(1, (int) Math.round(Math.min(w, h) * 0.02));
    int inner = Math.max(0, w - 2 * frame) * Math.max(0, h - 2 * frame);
    float[] border = new float[w * h - inner];
    int n = 0;
    for (int y = 0; y < h; y++) {
      boolean edgeRow = y < frame || y >= h - frame;
      for (int x = 0; x < w; x++) {
        if (edgeRow || x < frame || x >= w - frame) {
          border[n++] = image.get(x, y);
        }
      }
    }
    Arrays.sort(border);
    return n % 2 == 1 ? border[n / 2] : (border[n / 2 - 1] + border[n / 2]) / 2;
  }

  private static int clamp(int v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
