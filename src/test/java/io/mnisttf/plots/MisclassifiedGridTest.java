package io.mnisttf.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.data.MnistData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MisclassifiedGridTest {
  @TempDir Path dir;

  static final int N = 60;

  /** Images whose pixels differ from image to image: value (7i + 3r + 5c) mod 256. */
  static MnistData images() {
    byte[] pixels = new byte[N * MnistData.PIXELS];
    byte[] labels = new byte[N];
    for (int i = 0; i < N; i++) {
      labels[i] = (byte) (i % 10);
      for (int p = 0; p < MnistData.PIXELS; p++) {
        pixels[i * MnistData.PIXELS + p] = (byte) ((7 * i + 3 * (p / 28) + 5 * (p % 28)) % 256);
      }
    }
    return new MnistData(pixels, labels);
  }

  /** Every third example wrong; the later, the more confident. */
  static int[] predicted(MnistData data) {
    int[] predicted = new int[N];
    for (int i = 0; i < N; i++) {
      predicted[i] = i % 3 == 0 ? (data.label(i) + 1) % 10 : data.label(i);
    }
    return predicted;
  }

  static float[] probability() {
    float[] p = new float[N];
    for (int i = 0; i < N; i++) {
      p[i] = 0.3f + 0.01f * i;
    }
    return p;
  }

  @Test
  void picksTheMostConfidentMistakesInOrder() {
    MnistData data = images();
    List<MisclassifiedGrid.Mistake> top = MisclassifiedGrid.mostConfident(data, predicted(data), probability(), 3);
    assertEquals(List.of(57, 54, 51), top.stream().map(MisclassifiedGrid.Mistake::index).toList());
    assertEquals(7, top.get(0).trueLabel());
    assertEquals(8, top.get(0).predicted());
    assertEquals("true 7 / pred 8 (0.87)", top.get(0).caption());
    assertEquals(20, MisclassifiedGrid.mostConfident(data, predicted(data), probability(), 100).size());
  }

  @Test
  void gridShowsEachDigitEnlargedInItsCell() throws IOException {
    MnistData data = images();
    Path file = dir.resolve(MisclassifiedGrid.FILE_NAME);
    MisclassifiedGrid.write(file, data, predicted(data), probability());
    BufferedImage image = Pixels.readPng(file);
    MisclassifiedGrid.Layout layout = MisclassifiedGrid.Layout.of(20);
    assertEquals(4, layout.rows());
    assertEquals(layout.width(), image.getWidth());
    assertEquals(layout.height(), image.getHeight());
    assertTrue(layout.cellWidth() >= MisclassifiedGrid.TILE);

    List<MisclassifiedGrid.Mistake> shown = MisclassifiedGrid.mostConfident(data, predicted(data), probability(), 25);
    for (int k : new int[] {0, 6, 19}) {
      int index = shown.get(k).index();
      for (int p = 0; p < MnistData.PIXELS; p++) {
        int expected = data.pixels()[index * MnistData.PIXELS + p] & 0xff;
        for (int dy = 0; dy < MisclassifiedGrid.SCALE; dy++) {
          for (int dx = 0; dx < MisclassifiedGrid.SCALE; dx++) {
            int rgb = image.getRGB(layout.tileX(k) + (p % 28) * MisclassifiedGrid.SCALE + dx,
                layout.tileY(k) + (p / 28) * MisclassifiedGrid.SCALE + dy) & 0xffffff;
            assertEquals(expected * 0x010101, rgb, "cell " + k + " pixel " + p);
          }
        }
      }
    }
    // A caption is written under the first digit.
    int dark = 0;
    int captionTop = layout.tileY(0) + MisclassifiedGrid.TILE + 2;
    for (int y = captionTop; y < captionTop + 18; y++) {
      for (int x = layout.tileX(0); x < layout.tileX(0) + MisclassifiedGrid.TILE; x++) {
        dark += Pixels.brightness(Pixels.at(image, x, y)) < 100 ? 1 : 0;
      }
    }
    assertTrue(dark > 30, "caption pixels: " + dark);
  }

  @Test
  void noMistakesGivesOnlyTheHeading() {
    MnistData data = images();
    int[] perfect = new int[N];
    for (int i = 0; i < N; i++) {
      perfect[i] = data.label(i);
    }
    BufferedImage image = MisclassifiedGrid.render(data, perfect, probability());
    assertEquals(MisclassifiedGrid.Layout.of(0).height(), image.getHeight());
    assertEquals(0, MisclassifiedGrid.Layout.of(0).rows());
  }

  @Test
  void rejectsMismatchedInputs() {
    MnistData data = images();
    assertThrows(IllegalArgumentException.class,
        () -> MisclassifiedGrid.render(data, new int[N - 1], probability()));
    int[] bad = predicted(data);
    bad[4] = 10;
    var e = assertThrows(IllegalArgumentException.class, () -> MisclassifiedGrid.render(data, bad, probability()));
    assertTrue(e.getMessage().contains("index 4"), e.getMessage());
    float[] p = probability();
    p[2] = Float.NaN;
    assertThrows(IllegalArgumentException.class, () -> MisclassifiedGrid.render(data, predicted(data), p));
  }
}
