package io.mnisttf.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigitImageTest {
  @TempDir Path dir;

  private Path png(String name, BufferedImage image) throws IOException {
    Path file = dir.resolve(name);
    assertTrue(ImageIO.write(image, "png", file.toFile()));
    return file;
  }

  /**
   * The checks every converted digit must pass: MNIST polarity (background 0, digit bright), 20x20 box,
   * centred mass. A top-heavy 7 may touch the bottom edge, as 107 of MNIST's own test digits do.
   */
  private static void assertMnistLike(float[] pixels) {
    assertEquals(784, pixels.length);
    int zeros = 0;
    for (float v : pixels) {
      zeros += v == 0 ? 1 : 0;
    }
    assertTrue(zeros > 784 / 2, "most of the field must be background (0), found " + zeros + " zeros");
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 3; x++) {
        assertEquals(0f, pixels[y * 28 + x], "top-left corner must be background");
        assertEquals(0f, pixels[y * 28 + 27 - x], "top-right corner must be background");
        assertEquals(0f, pixels[(27 - y) * 28 + x], "bottom-left corner must be background");
        assertEquals(0f, pixels[(27 - y) * 28 + 27 - x], "bottom-right corner must be background");
      }
    }
    float max = 0;
    for (float v : pixels) {
      assertTrue(v >= 0 && v <= 1, "value out of [0,1]: " + v);
      max = Math.max(max, v);
    }
    assertTrue(max > 0.9f, "the digit must be bright, max " + max);
    int[] box = DigitImages.box(pixels, 0f);
    int w = box[2] - box[0] + 1;
    int h = box[3] - box[1] + 1;
    assertTrue(w <= 20 && h <= 20, "digit box " + w + "x" + h + " must fit in 20x20");
    assertTrue(Math.max(w, h) >= 19, "longer side of the box must be about 20, got " + w + "x" + h);
    double[] com = DigitImages.centreOfMass(pixels);
    assertEquals(14.0, com[0], 1.0, "centre of mass x");
    assertEquals(14.0, com[1], 1.0, "centre of mass y");
  }

  @Test
  void darkOnLightIsInvertedAndMatchesLightOnDark() throws IOException {
    DigitImage dark = DigitImage.load(png("dark.png",
        DigitImages.seven(300, 200, Color.BLACK, Color.WHITE, BufferedImage.TYPE_INT_RGB)));
    DigitImage light = DigitImage.load(png("light.png",
        DigitImages.seven(300, 200, Color.WHITE, Color.BLACK, BufferedImage.TYPE_INT_RGB)));
    assertTrue(dark.inverted());
    assertFalse(light.inverted());
    assertEquals(300, dark.width());
    assertEquals(200, dark.height());
    assertMnistLike(dark.pixels());
    assertMnistLike(light.pixels());
    float[] a = dark.pixels();
    float[] b = light.pixels();
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], b[i], 0.02f, "pixel " + i + " differs between the two polarities");
    }
  }

  @Test
  void colouredInkOnTintedPaperBecomesFullContrast() throws IOException {
    DigitImage digit = DigitImage.load(png("blue.png", DigitImages.seven(300, 200, new Color(20, 40, 160),
        new Color(235, 230, 215), BufferedImage.TYPE_INT_RGB)));
    assertTrue(digit.inverted());
    assertMnistLike(digit.pixels());
  }

  @Test
  void tinyImageIsEnlargedToTheBox() throws IOException {
    BufferedImage tiny = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = tiny.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 10, 10);
    g.setColor(Color.BLACK);
    g.fillRect(3, 2, 5, 1); // a blocky 7: bar on top
    g.fillRect(6, 3, 2, 5); // and a stem
    g.dispose();
    DigitImage digit = DigitImage.load(png("tiny.png", tiny));
    assertTrue(digit.inverted());
    assertMnistLike(digit.pixels());
    int[] box = DigitImages.box(digit.pixels(), 0.5f);
    assertEquals(20, box[3] - box[1] + 1, "6 source rows become the 20-pixel height");
  }

  @Test
  void transparentBackgroundCountsAsWhitePaper() throws IOException {
    // Fully transparent black around an opaque black digit: ignoring alpha would make the image all black.
    BufferedImage rgba = DigitImages.seven(300, 200, Color.BLACK, new Color(0, 0, 0, 0),
        BufferedImage.TYPE_INT_ARGB);
    DigitImage digit = DigitImage.load(png("alpha.png", rgba));
    assertTrue(digit.inverted());
    assertMnistLike(digit.pixels());
    DigitImage reference = DigitImage.load(png("opaque.png",
        DigitImages.seven(300, 200, Color.BLACK, Color.WHITE, BufferedImage.TYPE_INT_RGB)));
    assertTrue(DigitImages.correlation(reference.pixels(), digit.pixels()) > 0.98);
  }

  @Test
  void jpegIsReadAndItsNoiseStaysBackground() throws IOException {
    Path file = dir.resolve("seven.jpg");
    assertTrue(ImageIO.write(DigitImages.seven(300, 200, Color.BLACK, Color.WHITE, BufferedImage.TYPE_INT_RGB),
        "jpeg", file.toFile()));
    DigitImage jpeg = DigitImage.load(file);
    DigitImage png = DigitImage.load(png("seven.png",
        DigitImages.seven(300, 200, Color.BLACK, Color.WHITE, BufferedImage.TYPE_INT_RGB)));
    assertMnistLike(jpeg.pixels());
    assertTrue(DigitImages.correlation(png.pixels(), jpeg.pixels()) > 0.97);
  }

  @Test
  void aspectRatioIsKept() throws IOException {
    float[] tall = DigitImage.of(DigitImages.bar(40, 120), Path.of("tall")).pixels();
    int[] box = DigitImages.box(tall, 0.5f);
    assertEquals(20, box[3] - box[1] + 1);
    assertEquals(7, box[2] - box[0] + 1, "40:120 is 6.7:20");
    float[] wide = DigitImage.of(DigitImages.bar(150, 30), Path.of("wide")).pixels();
    box = DigitImages.box(wide, 0.5f);
    assertEquals(20, box[2] - box[0] + 1);
    assertEquals(4, box[3] - box[1] + 1, "150:30 is 20:4");
  }

  @Test
  void greyPngSamplesAreNotGammaShifted() throws IOException {
    BufferedImage gray = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_GRAY);
    gray.getRaster().setSample(1, 0, 0, 64);
    gray.getRaster().setSample(2, 0, 0, 200);
    GrayImage values = GrayImage.of(ImageIO.read(png("gray.png", gray).toFile()));
    assertEquals(0f, values.get(0, 0), 1e-3f);
    assertEquals(64f, values.get(1, 0), 1e-3f, "getRGB would report 137 here");
    assertEquals(200f, values.get(2, 0), 1e-3f);
  }

  @Test
  void realMnistDigitsSurviveTheRoundTrip() throws IOException {
    MnistData test = Mnist.loadTest(Path.of("data", "mnist")).first(20);
    double worst = 1;
    for (int i = 0; i < test.size(); i++) {
      float[] original = new float[MnistData.PIXELS];
      test.copyScaled(i, original, 0);
      BufferedImage paper = new BufferedImage(280, 280, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 280; y++) {
        for (int x = 0; x < 280; x++) {
          int v = 255 - (test.pixels()[i * MnistData.PIXELS + (y / 10) * 28 + x / 10] & 0xff);
          paper.setRGB(x, y, (v << 16) | (v << 8) | v);
        }
      }
      DigitImage back = DigitImage.load(png("mnist-" + i + ".png", paper));
      assertTrue(back.inverted());
      double r = DigitImages.correlation(original, back.pixels());
      worst = Math.min(worst, r);
      assertTrue(r > 0.9, "test digit " + i + " (a " + test.label(i) + "): correlation " + r);
    }
    assertTrue(worst > 0.9);
  }

  @Test
  void blankImageIsRefused() throws IOException {
    BufferedImage white = new BufferedImage(50, 40, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = white.createGraphics();
    g.setColor(new Color(250, 250, 250));
    g.fillRect(0, 0, 50, 40);
    g.setColor(new Color(240, 240, 240)); // faint smudge, below the contrast needed
    g.fillRect(20, 10, 5, 5);
    g.dispose();
    Path file = png("blank.png", white);
    var e = assertThrows(DigitImageException.class, () -> DigitImage.load(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("blank"), e.getMessage());
  }

  @Test
  void unusableFilesGiveOneLineNamingTheFile() throws IOException {
    Path text = Files.writeString(dir.resolve("notes.png"), "not an image at all\n");
    Path empty = Files.write(dir.resolve("empty.jpg"), new byte[0]);
    Path gif = dir.resolve("seven.gif");
    assertTrue(ImageIO.write(DigitImages.seven(30, 20, Color.BLACK, Color.WHITE,
        BufferedImage.TYPE_BYTE_INDEXED), "gif", gif.toFile()));
    byte[] whole = Files.readAllBytes(png("whole.png",
        DigitImages.seven(300, 200, Color.BLACK, Color.WHITE, BufferedImage.TYPE_INT_RGB)));
    Path truncated = Files.write(dir.resolve("truncated.png"), java.util.Arrays.copyOf(whole, whole.length / 3));

    assertProblem(text, "not a PNG or JPEG image");
    assertProblem(empty, "empty file");
    assertProblem(gif, "GIF image (PNG or JPEG expected)");
    assertProblem(truncated, "unreadable PNG image");
    assertProblem(dir.resolve("missing.png"), "no such file");
    assertProblem(dir, "not a regular file");
  }

  private static void assertProblem(Path file, String expected) {
    var e = assertThrows(DigitImageException.class, () -> DigitImage.load(file));
    assertNotNull(e.getMessage());
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void resultIsImmutableAndViewable() throws IOException {
    DigitImage digit = DigitImage.of(DigitImages.bar(40, 120), Path.of("bar"));
    float[] copy = digit.pixels();
    copy[0] = 0.5f;
    assertEquals(0f, digit.pixels()[0]);
    BufferedImage view = digit.toImage();
    assertEquals(28, view.getWidth());
    int[] box = DigitImages.box(digit.pixels(), 0.5f);
    assertEquals(255, view.getRaster().getSample((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, 0));
  }
}
