package io.mnisttf.data;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Varies training images at random within an {@link Augmentation}'s bounds: an affine transformation (shift,
 * rotation, scale, aspect, shear; bilinear), thicker or thinner strokes (grey-level dilation or erosion), a lower
 * resolution and blur,
 * then the ink scaled back to the image's own peak with faint values dropped, as {@code predict} prepares a
 * user's image. Pixels stay bytes.
 *
 * <p>Reproducible and order-free: an image's transformation is drawn from a generator seeded by the seed, the
 * epoch and the image's index in its data set alone, so the same seed gives the same images in every run, on any
 * number of threads, and a resumed run sees the epochs the uninterrupted run saw. Labels never change.
 */
public final class Augmenter {
  static final int SIZE = MnistData.ROWS;
  /** The point the affine transformation turns and scales about: where MNIST puts the centre of mass. */
  static final double CENTRE = 14.0;
  /** Faint ink (below this share of the peak) is dropped after blurring, as {@code predict}'s noise floor. */
  static final float NOISE_FLOOR = 0.1f;
  /** Thinner strokes blend in at most this share of the erosion. */
  static final double MAX_THINNING = 0.5;
  private static final int CHUNK = 1_000;

  private final Augmentation config;
  private final long seed;

  /**
   * One image's transformation.
   *
   * @param dx shift right, pixels
   * @param dy shift down, pixels
   * @param rotation degrees, counter-clockwise as seen
   * @param scale size factor
   * @param aspect width factor on top of {@code scale}
   * @param shear horizontal shear
   * @param stroke in [-1, 1]: share of an erosion (negative, drawn from [-0.5, 0]) or dilation (positive) blended
   *     in; 0 for none
   * @param cells the resolution the image is brought down to and back up from (cells across), 0 for none
   * @param blur Gaussian sigma in pixels, 0 for none
   */
  public record Transform(double dx, double dy, double rotation, double scale, double aspect, double shear,
      double stroke, int cells, double blur) {}

  public Augmenter(Augmentation config, long seed) {
    this.config = config;
    this.seed = seed;
  }

  /**
   * The pixels of {@code data} for epoch {@code epoch} (0-based): a copy of all of them, with the images at
   * {@code indices} (the training part) transformed; every other image (validation) as it is. Writes into
   * {@code out} ({@code data.pixels().length} bytes), in parallel on the common fork-join pool.
   */
  public void epoch(MnistData data, int[] indices, int epoch, byte[] out) {
    epoch(data, indices, epoch, out, true);
  }

  /** As {@link #epoch(MnistData, int[], int, byte[])}, on the calling thread alone unless {@code parallel}. */
  public void epoch(MnistData data, int[] indices, int epoch, byte[] out, boolean parallel) {
    byte[] pixels = data.pixels();
    if (out.length != pixels.length) {
      throw new IllegalArgumentException("out holds " + out.length + " bytes, the data " + pixels.length);
    }
    System.arraycopy(pixels, 0, out, 0, pixels.length);
    if (!config.enabled()) {
      return;
    }
    int chunks = (indices.length + CHUNK - 1) / CHUNK;
    IntStream chunkStream = IntStream.range(0, chunks);
    (parallel ? chunkStream.parallel() : chunkStream).forEach(c -> {
      Scratch scratch = new Scratch();
      for (int k = c * CHUNK; k < Math.min(indices.length, (c + 1) * CHUNK); k++) {
        int i = indices[k];
        apply(transform(epoch, i), pixels, i * MnistData.PIXELS, out, i * MnistData.PIXELS, scratch);
      }
    });
  }

  /** The transformation of the image at {@code index} in epoch {@code epoch}. */
  public Transform transform(int epoch, int index) {
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L
        + (epoch + 1L) * 0xBF58476D1CE4E5B9L + (index + 1L) * 0x94D049BB133111EBL);
    double dx = uniform(random, config.maxShift());
    double dy = uniform(random, config.maxShift());
    double rotation = uniform(random, config.maxRotation());
    double scale = 1 + uniform(random, config.maxScale());
    double aspect = 1 + uniform(random, config.maxAspect());
    double shear = uniform(random, config.maxShear());
    double stroke = 0;
    if (random.nextDouble() < config.strokeProbability()) {
      // thinner at most half way: a full erosion wipes out MNIST's 2-pixel strokes
      stroke = random.nextBoolean() ? random.nextDouble() : -MAX_THINNING * random.nextDouble();
    }
    int cells = 0;
    if (random.nextDouble() < config.pixelateProbability()) {
      cells = ImageOps.MIN_CELLS + random.nextInt(ImageOps.MAX_CELLS - ImageOps.MIN_CELLS + 1);
    }
    double blur = 0;
    if (random.nextDouble() < config.blurProbability()) {
      blur = 0.5 + random.nextDouble() * (config.maxBlur() - 0.5);
    }
    return new Transform(dx, dy, rotation, scale, aspect, shear, stroke, cells, blur);
  }

  private static double uniform(SplittableRandom random, double bound) {
    return bound == 0 ? 0 : (2 * random.nextDouble() - 1) * bound;
  }

  /** Work arrays of one thread. */
  static final class Scratch {
    float[] image = new float[MnistData.PIXELS];
    float[] spare = new float[MnistData.PIXELS];
    final float[] rows = new float[MnistData.PIXELS];
    final float[] padded = new float[ImageOps.PADDED_PIXELS];
    final float[] small = new float[MnistData.PIXELS];

    /** The last operation wrote {@code spare}: it becomes the image. */
    void swap() {
      float[] t = image;
      image = spare;
      spare = t;
    }
  }

  /** Writes {@code t} applied to the image at {@code src[from..]} into {@code dst[to..]}. */
  static void apply(Transform t, byte[] src, int from, byte[] dst, int to, Scratch s) {
    float peak = 0;
    for (int p = 0; p < MnistData.PIXELS; p++) {
      s.image[p] = src[from + p] & 0xff;
      peak = Math.max(peak, s.image[p]);
    }
    if (t.stroke() != 0) {
      ImageOps.stroke(s.image, s.spare, s.padded, (float) t.stroke());
      s.swap();
    }
    ImageOps.affine(s.image, s.spare, s.padded, affineInverse(t), CENTRE + t.dx(), CENTRE + t.dy(), CENTRE);
    s.swap();
    if (t.cells() > 0) {
      ImageOps.pixelate(s.image, s.spare, s.small, s.rows, t.cells());
      s.swap();
    }
    if (t.blur() > 0) {
      ImageOps.blur(s.image, s.spare, s.rows, t.blur());
      s.swap();
    }
    float max = 0;
    for (float v : s.image) {
      max = Math.max(max, v);
    }
    float gain = max > 0 ? peak / max : 0;
    float floor = NOISE_FLOOR * peak;
    for (int p = 0; p < MnistData.PIXELS; p++) {
      float v = s.image[p] * gain;
      dst[to + p] = v < floor ? 0 : (byte) Math.min(255, (int) (v + 0.5f));
    }
  }

  /**
   * The inverse of {@code t}'s 2x2 linear part, row-major {a, b, c, d}: maps an output offset from the centre
   * back to the source offset. Forward: rotate(shear(scale(aspect))).
   */
  static double[] affineInverse(Transform t) {
    double theta = Math.toRadians(t.rotation());
    double cos = Math.cos(theta);
    double sin = Math.sin(theta);
    double sx = t.scale() * t.aspect();
    double sy = t.scale();
    // y grows downwards: a counter-clockwise turn as seen is a clockwise one in (x, y).
    double r00 = cos;
    double r01 = sin;
    double r10 = -sin;
    double r11 = cos;
    // M = R * H * S, H = [[1, shear], [0, 1]], S = diag(sx, sy)
    double m00 = r00 * sx;
    double m01 = (r00 * t.shear() + r01) * sy;
    double m10 = r10 * sx;
    double m11 = (r10 * t.shear() + r11) * sy;
    double det = m00 * m11 - m01 * m10;
    return new double[] {m11 / det, -m01 / det, -m10 / det, m00 / det};
  }
}
