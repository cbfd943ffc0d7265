package io.mnisttf.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MnistDataTest {
  /** Example i has label i % 10 and every pixel equal to i (mod 256), so examples can be identified. */
  static MnistData numbered(int n) {
    byte[] pixels = new byte[n * MnistData.PIXELS];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) (i % 10);
      java.util.Arrays.fill(pixels, i * MnistData.PIXELS, (i + 1) * MnistData.PIXELS, (byte) i);
    }
    return new MnistData(pixels, labels);
  }

  @Test
  void scalesPixelsToUnitRange() {
    byte[] pixels = new byte[MnistData.PIXELS];
    pixels[0] = 0;
    pixels[1] = (byte) 255;
    pixels[2] = (byte) 128;
    float[] out = new float[MnistData.PIXELS];
    new MnistData(pixels, new byte[] {3}).copyScaled(0, out, 0);
    assertEquals(0f, out[0]);
    assertEquals(1f, out[1], 1e-7);
    assertEquals(128 / 255f, out[2], 1e-7);
  }

  @Test
  void splitIsDisjointCompleteOrderedAndSeeded() {
    MnistData data = numbered(200);
    MnistData.Split a = data.split(20, 7);
    assertEquals(180, a.train().size());
    assertEquals(20, a.validation().size());
    Set<Integer> seen = new HashSet<>();
    int previous = -1;
    for (MnistData part : new MnistData[] {a.train(), a.validation()}) {
      previous = -1;
      for (int i = 0; i < part.size(); i++) {
        int id = part.pixels()[i * MnistData.PIXELS] & 0xff;
        assertTrue(id > previous, "file order kept");
        previous = id;
        assertTrue(seen.add(id), "each example in exactly one part");
        assertEquals(id % 10, part.label(i), "labels travel with their images");
      }
    }
    assertEquals(200, seen.size());
    assertArrayEquals(a.validation().labels(), data.split(20, 7).validation().labels());
    assertNotEquals(java.util.Arrays.toString(a.validation().pixels()),
        java.util.Arrays.toString(data.split(20, 8).validation().pixels()), "another seed, another split");
  }

  @Test
  void firstAndRejectedSizes() {
    MnistData data = numbered(50);
    assertEquals(10, data.first(10).size());
    assertEquals(50, data.first(500).size());
    assertThrows(IllegalArgumentException.class, () -> data.split(50, 1));
    assertThrows(IllegalArgumentException.class, () -> new MnistData(new byte[783], new byte[1]));
  }
}
