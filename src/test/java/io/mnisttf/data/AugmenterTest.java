package io.mnisttf.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmenterTest {
  /** 300 synthetic "digits": a few thick random strokes each, on a black background, peak 255. */
  static MnistData strokes(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] pixels = new byte[n * MnistData.PIXELS];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) random.nextInt(10);
      for (int s = 0; s < 3; s++) {
        double x = 8 + random.nextInt(12);
        double y = 6 + random.nextInt(16);
        double angle = random.nextDouble() * Math.PI;
        for (int t = -5; t <= 5; t++) {
          int px = (int) Math.round(x + t * Math.cos(angle));
          int py = (int) Math.round(y + t * Math.sin(angle));
          for (int d = 0; d < 2; d++) {
            pixels[i * MnistData.PIXELS + py * 28 + Math.min(27, px + d)] = (byte) 255;
          }
        }
      }
    }
    return new MnistData(pixels, labels);
  }

  private static final MnistData DATA = strokes(300, 5);

  private static int[] range(int from, int to) {
    int[] indices = new int[to - from];
    Arrays.setAll(indices, i -> from + i);
    return indices;
  }

  private static byte[] epoch(Augmenter augmenter, MnistData data, int[] indices, int epoch) {
    byte[] out = new byte[data.pixels().length];
    augmenter.epoch(data, indices, epoch, out);
    return out;
  }

  private static byte[] image(byte[] pixels, int i) {
    return Arrays.copyOfRange(pixels, i * MnistData.PIXELS, (i + 1) * MnistData.PIXELS);
  }

  @Test
  void sameSeedAndEpochGiveTheSameBytesOtherEpochsAndSeedsOthers() {
    int[] all = range(0, DATA.size());
    byte[] a = epoch(new Augmenter(Augmentation.DEFAULTS, 42), DATA, all, 3);
    byte[] b = epoch(new Augmenter(Augmentation.DEFAULTS, 42), DATA, all, 3);
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, epoch(new Augmenter(Augmentation.DEFAULTS, 42), DATA, all, 4)), "another epoch");
    assertFalse(Arrays.equals(a, epoch(new Augmenter(Augmentation.DEFAULTS, 43), DATA, all, 3)), "another seed");
  }

  @Test
  void anImageDependsOnlyOnSeedEpochAndIndexNotOnTheOtherImagesOrTheirOrder() {
    Augmenter augmenter = new Augmenter(Augmentation.DEFAULTS, 7);
    byte[] whole = epoch(augmenter, DATA, range(0, DATA.size()), 1);
    int[] someReversed = {250, 17, 3, 299, 120};
    byte[] some = epoch(augmenter, DATA, someReversed, 1);
    for (int i : someReversed) {
      assertArrayEquals(image(whole, i), image(some, i), "image " + i);
    }
    byte[] one = new byte[MnistData.PIXELS];
    Augmenter.apply(augmenter.transform(1, 17), DATA.pixels(), 17 * MnistData.PIXELS, one, 0,
        new Augmenter.Scratch());
    assertArrayEquals(image(whole, 17), one, "the same image transformed alone, on this thread");
  }

  @Test
  void onlyTheListedImagesChangeTheRestAndTheLabelsStayAsTheyAre() {
    byte[] labels = DATA.labels().clone();
    byte[] pixels = DATA.pixels().clone();
    int[] training = range(0, 200);
    byte[] out = epoch(new Augmenter(Augmentation.DEFAULTS, 42), DATA, training, 0);
    for (int i = 200; i < DATA.size(); i++) {
      assertArrayEquals(image(DATA.pixels(), i), image(out, i), "held-out image " + i + " untouched");
    }
    int changed = 0;
    for (int i : training) {
      changed += Arrays.equals(image(DATA.pixels(), i), image(out, i)) ? 0 : 1;
    }
    assertTrue(changed > 190, changed + " of 200 training images changed");
    assertArrayEquals(labels, DATA.labels(), "labels untouched");
    assertArrayEquals(pixels, DATA.pixels(), "the source data untouched");
  }

  @Test
  void noneCopiesTheImagesAsTheyAre() {
    assertFalse(Augmentation.NONE.enabled());
    assertTrue(Augmentation.DEFAULTS.enabled());
    assertArrayEquals(DATA.pixels(), epoch(new Augmenter(Augmentation.NONE, 1), DATA, range(0, 300), 0));
  }

  @Test
  void drawnTransformationsStayWithinTheirBoundsAndUseThem() {
    Augmentation bounds = new Augmentation(2, 10, 0.1, 0.2, 0.3, 0.5, 0.4, 0.25, 1.5);
    Augmenter augmenter = new Augmenter(bounds, 11);
    double maxShift = 0;
    double maxRotation = 0;
    int stroked = 0;
    int blurred = 0;
    int pixelated = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      Augmenter.Transform t = augmenter.transform(i % 7, i);
      assertTrue(Math.abs(t.dx()) <= 2 && Math.abs(t.dy()) <= 2, t::toString);
      assertTrue(Math.abs(t.rotation()) <= 10, t::toString);
      assertTrue(t.scale() >= 0.9 && t.scale() <= 1.1, t::toString);
      assertTrue(t.aspect() >= 0.8 && t.aspect() <= 1.2, t::toString);
      assertTrue(Math.abs(t.shear()) <= 0.3, t::toString);
      assertTrue(t.stroke() >= -0.5 && t.stroke() <= 1, t::toString);
      assertTrue(t.blur() == 0 || t.blur() >= 0.5 && t.blur() <= 1.5, t::toString);
      assertTrue(t.cells() == 0 || t.cells() >= 8 && t.cells() <= 14, t::toString);
      pixelated += t.cells() != 0 ? 1 : 0;
      maxShift = Math.max(maxShift, Math.abs(t.dx()));
      maxRotation = Math.max(maxRotation, Math.abs(t.rotation()));
      stroked += t.stroke() != 0 ? 1 : 0;
      blurred += t.blur() != 0 ? 1 : 0;
    }
    assertTrue(maxShift > 1.99 && maxRotation > 9.9, "the whole range is used");
    assertEquals(0.5, (double) stroked / n, 0.02);
    assertEquals(0.25, (double) blurred / n, 0.02);
    assertEquals(0.4, (double) pixelated / n, 0.02);
  }

  @Test
  void aShiftMovesTheInkAndAQuarterTurnTurnsIt() {
    byte[] dot = new byte[MnistData.PIXELS];
    dot[14 * 28 + 18] = (byte) 255; // 4 pixels right of the centre (14, 14)
    MnistData one = new MnistData(dot, new byte[1]);
    double[] shifted = centreOfMass(transformed(one, new Augmenter.Transform(2, -3, 0, 1, 1, 0, 0, 0, 0)));
    assertEquals(20, shifted[0], 1e-9);
    assertEquals(11, shifted[1], 1e-9);
    double[] turned = centreOfMass(transformed(one, new Augmenter.Transform(0, 0, 90, 1, 1, 0, 0, 0, 0)));
    assertEquals(14, turned[0], 1e-6, "counter-clockwise as seen: right of the centre goes above it");
    assertEquals(10, turned[1], 1e-6);
    double[] scaled = centreOfMass(transformed(one, new Augmenter.Transform(0, 0, 0, 1, 1.5, 0, 0, 0, 0)));
    assertEquals(20, scaled[0], 1e-6, "1.5 times as wide: 4 pixels from the centre become 6");
  }

  @Test
  void inkKeepsItsPeakAndFaintValuesAreDropped() {
    Augmenter augmenter = new Augmenter(Augmentation.DEFAULTS, 3);
    byte[] out = epoch(augmenter, DATA, range(0, 100), 2);
    for (int i = 0; i < 100; i++) {
      int max = 0;
      for (byte b : image(out, i)) {
        int v = b & 0xff;
        max = Math.max(max, v);
        assertTrue(v == 0 || v >= 25, "no faint halo below the noise floor: " + v);
      }
      assertTrue(max >= 254, "image " + i + " peak " + max);
    }
  }

  @Test
  void thickerStrokesHaveMoreInkThinnerLessAndBlurAndALowerResolutionSpreadIt() {
    MnistData one = new MnistData(image(DATA.pixels(), 0), new byte[1]);
    byte[] plain = transformed(one, new Augmenter.Transform(0, 0, 0, 1, 1, 0, 0, 0, 0));
    assertArrayEquals(one.pixels(), plain, "the identity changes nothing");
    assertTrue(ink(transformed(one, new Augmenter.Transform(0, 0, 0, 1, 1, 0, 1, 0, 0))) > 1.3 * ink(plain));
    assertTrue(ink(transformed(one, new Augmenter.Transform(0, 0, 0, 1, 1, 0, -0.5, 0, 0))) < 0.8 * ink(plain));
    byte[] blurred = transformed(one, new Augmenter.Transform(0, 0, 0, 1, 1, 0, 0, 0, 1.2));
    assertTrue(inkPixels(blurred) > 1.3 * inkPixels(plain), inkPixels(blurred) + " vs " + inkPixels(plain));
    byte[] coarse = transformed(one, new Augmenter.Transform(0, 0, 0, 1, 1, 0, 0, 8, 0));
    assertTrue(inkPixels(coarse) > 1.3 * inkPixels(plain), inkPixels(coarse) + " vs " + inkPixels(plain));
    double[] before = centreOfMass(plain);
    double[] after = centreOfMass(coarse);
    assertEquals(before[0], after[0], 0.5, "a lower resolution keeps the digit where it is");
    assertEquals(before[1], after[1], 0.5);
  }

  @Test
  void rejectsBoundsOutsideTheirRange() {
    assertThrows(IllegalArgumentException.class, () -> new Augmentation(-1, 0, 0, 0, 0, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Augmentation(0, 90, 0, 0, 0, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Augmentation(0, 0, 0.6, 0, 0, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Augmentation(0, 0, 0, 0, 0, 1.5, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Augmentation(0, 0, 0, 0, 0, 0, 0, 0.5, 0.1));
    assertThrows(IllegalArgumentException.class, () -> new Augmentation(0, 0, 0, 0, 0, 0, 0, Double.NaN, 1));
    assertThrows(IllegalArgumentException.class,
        () -> new Augmenter(Augmentation.DEFAULTS, 1).epoch(DATA, new int[] {0}, 0, new byte[10]));
  }

  private static byte[] transformed(MnistData one, Augmenter.Transform t) {
    byte[] out = new byte[MnistData.PIXELS];
    Augmenter.apply(t, one.pixels(), 0, out, 0, new Augmenter.Scratch());
    return out;
  }

  private static long ink(byte[] image) {
    long sum = 0;
    for (byte b : image) {
      sum += b & 0xff;
    }
    return sum;
  }

  private static int inkPixels(byte[] image) {
    int n = 0;
    for (byte b : image) {
      n += b != 0 ? 1 : 0;
    }
    return n;
  }

  /** {x, y} of the ink's centre of mass. */
  private static double[] centreOfMass(byte[] image) {
    double mass = 0;
    double x = 0;
    double y = 0;
    for (int p = 0; p < image.length; p++) {
      int v = image[p] & 0xff;
      mass += v;
      x += v * (p % 28);
      y += v * (p / 28);
    }
    return new double[] {x / mass, y / mass};
  }
}
