package io.mnisttf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(TrainedExport.class)
class EvaluateImagesTest {
  private static final int PER_DIGIT = 3;
  @TempDir Path tmp;
  private Path dir;
  private final List<Path> files = new ArrayList<>();

  /** The first {@value #PER_DIGIT} MNIST test digits of each class, 3x larger and dark on light, in dir/<digit>/. */
  @BeforeEach
  void writeImages() throws IOException {
    MnistData test = Mnist.loadTest(Mnist.DEFAULT_DIR);
    dir = tmp.resolve("my digits");
    int[] written = new int[10];
    for (int i = 0; files.size() < 10 * PER_DIGIT; i++) {
      int digit = test.label(i);
      if (written[digit] == PER_DIGIT) {
        continue;
      }
      written[digit]++;
      Path file = dir.resolve(digit + "/test-" + i + ".png");
      Files.createDirectories(file.getParent());
      BufferedImage image = new BufferedImage(84, 84, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < 84; y++) {
        for (int x = 0; x < 84; x++) {
          int value = test.pixels()[i * 784 + (y / 3) * 28 + x / 3] & 0xff;
          image.getRaster().setSample(x, y, 0, 255 - value);
        }
      }
      ImageIO.write(image, "png", file.toFile());
      files.add(file);
    }
  }

  @Test
  void scoresTheFolderWithTheClassesPredictGivesEachFile(TrainedExport.Model model) throws IOException {
    Path plots = tmp.resolve("plots");
    CliRun run = CliRun.of("evaluate", "--model", model.dir().toString(), "--images", dir.toString(), "--json",
        "--plots", plots.toString());
    assertEquals(0, run.exitCode(), run.toString());
    JsonObject json = run.json();
    assertEquals(dir.toString(), json.get("images").getAsString());
    assertEquals(10 * PER_DIGIT, json.get("examples").getAsInt());

    List<String> args = new ArrayList<>(List.of("predict", "--model", model.dir().toString(), "--json"));
    files.forEach(f -> args.add(f.toString()));
    CliRun predict = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, predict.exitCode(), predict.toString());
    int[][] expected = new int[10][10];
    Map<String, Integer> predicted = new HashMap<>();
    for (var p : predict.json().getAsJsonArray("predictions")) {
      JsonObject o = p.getAsJsonObject();
      String image = o.get("image").getAsString();
      int label = Path.of(image).getParent().getFileName().toString().charAt(0) - '0';
      int guess = o.getAsJsonArray("top").get(0).getAsJsonObject().get("digit").getAsInt();
      expected[label][guess]++;
      predicted.put(image, guess);
    }
    JsonArray confusion = json.getAsJsonArray("confusion_matrix");
    int correct = 0;
    for (int t = 0; t < 10; t++) {
      for (int p = 0; p < 10; p++) {
        assertEquals(expected[t][p], confusion.get(t).getAsJsonArray().get(p).getAsInt(), "row " + t + " col " + p);
      }
      correct += expected[t][t];
    }
    assertEquals((double) correct / (10 * PER_DIGIT), json.get("accuracy").getAsDouble(), 1e-12);
    assertTrue(correct >= 20, "a model at about 0.93 reads most of MNIST's own digits: " + correct);
    JsonArray mistakes = json.getAsJsonArray("misclassified");
    assertEquals(10 * PER_DIGIT - correct, mistakes.size());
    for (var m : mistakes) {
      JsonObject o = m.getAsJsonObject();
      assertEquals(predicted.get(o.get("file").getAsString()).intValue(), o.get("predicted").getAsInt());
    }
    assertTrue(run.err().contains("Images: loss"), run.err());
    assertTrue(Files.size(plots.resolve("confusion-matrix.png")) > 0 && Files.size(plots.resolve("misclassified.png")) > 0);
  }

  @Test
  void anUnreadableImageIsOneLineNamingItAndNothingIsScored(TrainedExport.Model model) throws IOException {
    Path bad = dir.resolve("5/scan.png");
    Files.writeString(bad, "this is not a PNG");
    CliRun run = CliRun.of("evaluate", "--model", model.dir().toString(), "--images", dir.toString(), "--json");
    assertEquals(1, run.exitCode(), run.toString());
    assertEquals("", run.out());
    String[] lines = run.errLines();
    assertTrue(lines[lines.length - 1].startsWith("error: " + bad + ": "), run.err());
  }

  @Test
  void aFolderWithoutDigitFoldersAndTwoSourcesAreRefused(TrainedExport.Model model) throws IOException {
    Path flat = tmp.resolve("flat");
    Files.createDirectories(flat.resolve("sevens"));
    CliRun run = CliRun.of("evaluate", "--model", model.dir().toString(), "--images", flat.toString());
    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.err().contains("error: " + flat.resolve("sevens") + ": not a digit folder"), run.err());

    CliRun missing = CliRun.of("evaluate", "--model", model.dir().toString(), "--images",
        tmp.resolve("nowhere").toString());
    assertEquals(1, missing.exitCode(), missing.toString());
    assertTrue(missing.err().contains("error: " + tmp.resolve("nowhere") + ": no such folder"), missing.err());

    CliRun both = CliRun.of("evaluate", "--model", model.dir().toString(), "--images", dir.toString(), "--data",
        Mnist.DEFAULT_DIR.toString());
    assertEquals(2, both.exitCode(), both.toString());
    assertTrue(both.err().contains("error: give --images or --data, not both"), both.err());
  }
}
