package io.mnisttf.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.util.FileProblemException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelledDigitsTest {
  @TempDir Path tmp;

  /** A dark bar on white paper, {@code width} pixels wide: a crude digit, different for each width. */
  private static Path bar(Path file, int width) throws IOException {
    Files.createDirectories(file.getParent());
    BufferedImage image = new BufferedImage(60, 60, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 60, 60);
    g.setColor(Color.BLACK);
    g.fillRect(20, 10, width, 40);
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
    return file;
  }

  @Test
  void readsDigitFoldersInOrderEachImageConvertedAsPredictDoes() throws IOException {
    Path dir = tmp.resolve("digits");
    bar(dir.resolve("7/b.png"), 4);
    bar(dir.resolve("7/a.png"), 6);
    bar(dir.resolve("1/z.png"), 2);
    bar(dir.resolve("7/.hidden.png"), 8);
    Files.createDirectories(dir.resolve("3")); // a digit with no images
    Files.writeString(dir.resolve("README.txt"), "files beside the digit folders are not images of a class");
    LabelledDigits digits = LabelledDigits.load(dir);
    assertEquals(3, digits.size());
    assertArrayEquals(new int[] {1, 7, 7}, digits.labels());
    assertEquals(dir.resolve("1/z.png"), digits.images().get(0).source());
    assertEquals(dir.resolve("7/a.png"), digits.images().get(1).source());
    assertEquals(dir.resolve("7/b.png"), digits.images().get(2).source());
    float[] all = digits.pixels();
    for (int i = 0; i < 3; i++) {
      float[] alone = DigitImage.load(digits.images().get(i).source()).pixels();
      for (int p = 0; p < alone.length; p++) {
        assertEquals(alone[p], all[i * alone.length + p], 0f, "image " + i + " pixel " + p);
      }
    }
  }

  @Test
  void refusesWhatIsNotALabelledDigitFolderWithOneLineNamingThePath() throws IOException {
    Path missing = tmp.resolve("missing");
    assertEquals(missing + ": no such folder",
        assertThrows(FileProblemException.class, () -> LabelledDigits.load(missing)).getMessage());

    Path file = bar(tmp.resolve("file.png"), 3);
    assertTrue(assertThrows(FileProblemException.class, () -> LabelledDigits.load(file)).getMessage()
        .startsWith(file + ": not a folder"));

    Path flat = tmp.resolve("flat");
    bar(flat.resolve("a.png"), 3);
    assertTrue(assertThrows(FileProblemException.class, () -> LabelledDigits.load(flat)).getMessage()
        .startsWith(flat + ": no digit images"));

    Path named = tmp.resolve("named");
    bar(named.resolve("seven/a.png"), 3);
    assertTrue(assertThrows(FileProblemException.class, () -> LabelledDigits.load(named)).getMessage()
        .startsWith(named.resolve("seven") + ": not a digit folder"));

    Path nested = tmp.resolve("nested");
    bar(nested.resolve("4/more/a.png"), 3);
    assertTrue(assertThrows(FileProblemException.class, () -> LabelledDigits.load(nested)).getMessage()
        .startsWith(nested.resolve("4/more") + ": a folder inside a digit folder"));

    Path broken = tmp.resolve("broken");
    bar(broken.resolve("2/good.png"), 3);
    Files.writeString(broken.resolve("2/notes.png"), "not an image");
    DigitImageException e = assertThrows(DigitImageException.class, () -> LabelledDigits.load(broken));
    assertEquals(broken.resolve("2/notes.png"), e.path());
  }
}
