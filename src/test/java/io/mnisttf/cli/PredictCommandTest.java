package io.mnisttf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import io.mnisttf.testing.ChildJava;
import io.mnisttf.testing.Fixtures;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(TrainedExport.class)
class PredictCommandTest {
  @TempDir Path tmp;

  /** MNIST test digit {@code index} drawn 8x larger, dark on light (inverted), as a PNG or JPEG. */
  private static Path render(MnistData test, int index, Path file, String format) throws IOException {
    int scale = 8;
    BufferedImage image = new BufferedImage(28 * scale + 40, 28 * scale + 20, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int sx = (x - 20) / scale;
        int sy = (y - 10) / scale;
        int value = x >= 20 && y >= 10 && sx < 28 && sy < 28 ? test.pixels()[index * 784 + sy * 28 + sx] & 0xff : 0;
        int gray = 255 - value;
        image.setRGB(x, y, (gray << 16) | (gray << 8) | gray);
      }
    }
    ImageIO.write(image, format, file.toFile());
    return file;
  }

  @Test
  void classifiesDigitImagesWithTopThreeAndJson(TrainedExport.Model model) throws IOException {
    MnistData test = Mnist.loadTest(Mnist.DEFAULT_DIR);
    List<String> args = new ArrayList<>(List.of("predict", "--model", model.dir().toString(), "--json"));
    for (int i = 0; i < 20; i++) {
      args.add(render(test, i, tmp.resolve("digit" + i + (i % 4 == 0 ? ".jpg" : ".png")),
          i % 4 == 0 ? "jpg" : "png").toString());
    }
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.toString());
    JsonObject json = run.json();
    assertEquals("serving_default", json.get("signature").getAsString());
    JsonArray predictions = json.getAsJsonArray("predictions");
    assertEquals(20, predictions.size());
    int correct = 0;
    for (int i = 0; i < 20; i++) {
      JsonObject p = predictions.get(i).getAsJsonObject();
      assertTrue(p.get("image").getAsString().endsWith("digit" + i + (i % 4 == 0 ? ".jpg" : ".png")));
      assertTrue(p.get("inverted").getAsBoolean(), "dark on light is inverted");
      JsonArray top = p.getAsJsonArray("top");
      assertEquals(3, top.size());
      float previous = 2;
      for (var score : top) {
        float probability = score.getAsJsonObject().get("probability").getAsFloat();
        assertTrue(probability <= previous, "most probable first");
        previous = probability;
      }
      correct += top.get(0).getAsJsonObject().get("digit").getAsInt() == test.label(i) ? 1 : 0;
    }
    assertTrue(correct >= 17, correct + " of 20 rendered test digits recognised");
  }

  @Test
  void humanOutputIsOneLinePerImage(TrainedExport.Model model) throws IOException {
    MnistData test = Mnist.loadTest(Mnist.DEFAULT_DIR);
    Path seven = render(test, 0, tmp.resolve("seven.png"), "png"); // the first test digit is a 7
    CliRun run = CliRun.of("predict", "--model", model.dir().toString(), seven.toString(), "--top", "2");
    assertEquals(0, run.exitCode(), run.toString());
    String line = run.out().strip();
    assertTrue(line.matches(java.util.regex.Pattern.quote(seven.toString())
        + ": 7 \\(0\\.\\d{3}\\), \\d \\(0\\.\\d{3}\\)   \\[264x244, dark on light, inverted\\]"), line);
  }

  /** A model not made by us (committed, CC0): it needs calibration, so the hardest case for "nothing but the image". */
  static final Path FOREIGN = Fixtures.pythonModel("keras2-mlp-200-60-tf212");

  /**
   * From a folder holding nothing but the image, in a separate JVM with that folder as its working directory:
   * the model is calibrated on the sample bundled with the code, and nothing is written beside the image.
   */
  @Test
  void worksFromAnEmptyFolderWithNothingButTheImage() throws Exception {
    MnistData test = Mnist.loadTest(Mnist.DEFAULT_DIR);
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    render(test, 0, empty.resolve("digit.png"), "png"); // a 7
    String classPath = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .map(p -> Path.of(p).toAbsolutePath().toString()).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    Path out = tmp.resolve("stdout.txt");
    Path err = tmp.resolve("stderr.txt");
    ProcessBuilder builder = new ProcessBuilder(ChildJava.java(),
        "-XX:+UseSerialGC", "-cp", classPath, "io.mnisttf.cli.Main", "predict", "--model",
        FOREIGN.toAbsolutePath().toString(), "digit.png")
        .directory(empty.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    int exit = builder.start().waitFor();
    String stdout = Files.readString(out);
    assertEquals(0, exit, stdout + Files.readString(err));
    assertTrue(stdout.strip().startsWith("digit.png: 7 ("), stdout);
    try (var files = Files.list(empty)) {
      assertEquals(List.of("digit.png"), files.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void dataOverridesTheBundledCalibrationSample() throws IOException {
    MnistData test = Mnist.loadTest(Mnist.DEFAULT_DIR);
    Path seven = render(test, 0, tmp.resolve("seven.png"), "png");
    Path missing = tmp.resolve("no-data");
    CliRun run = CliRun.of("predict", "--model", FOREIGN.toString(), "--data", missing.toString(), seven.toString());
    assertEquals(1, run.exitCode(), run.toString());
    assertEquals(1, run.errLines().length, run.toString());
    assertTrue(run.errLines()[0].startsWith("error: " + missing + ": calibration data: no such directory"),
        run.toString());
    CliRun ok = CliRun.of("predict", "--model", FOREIGN.toString(), "--data", "data/mnist", seven.toString());
    assertEquals(0, ok.exitCode(), ok.toString());
    assertTrue(ok.out().contains(": 7 ("), ok.toString());
  }

  @Test
  void badImagesFailBeforeTheModelIsLoaded(TrainedExport.Model model) throws IOException {
    Path text = Files.writeString(tmp.resolve("notes.png"), "not an image");
    CliRun run = CliRun.of("predict", "--model", tmp.resolve("no-model").toString(), text.toString());
    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.errLines()[0].startsWith("error: " + text + ": "), run.toString());
    assertFalse(run.err().contains("\tat "));
    CliRun missing = CliRun.of("predict", "--model", model.dir().toString(), tmp.resolve("x.png").toString());
    assertEquals(1, missing.exitCode());
    assertTrue(missing.errLines()[0].contains("x.png: no such file"), missing.toString());
  }
}
