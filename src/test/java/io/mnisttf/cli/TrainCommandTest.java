package io.mnisttf.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {
  @TempDir Path tmp;

  @Test
  void trainIsTheDefaultCommand() {
    CommandLine cli = new CommandLine(Main.class);
    assertArrayEquals(new String[] {"train"}, Main.withDefaultCommand(cli, new String[0]));
    assertArrayEquals(new String[] {"train", "--epochs", "2"},
        Main.withDefaultCommand(cli, new String[] {"--epochs", "2"}));
    assertArrayEquals(new String[] {"--help"}, Main.withDefaultCommand(cli, new String[] {"--help"}));
    assertArrayEquals(new String[] {"train", "--json"}, Main.withDefaultCommand(cli, new String[] {"train", "--json"}));
  }

  @Test
  void quickRunPrintsKerasStyleEpochLinesAndAJsonSummaryAndExports() {
    Path exports = tmp.resolve("exports");
    Path runs = tmp.resolve("runs");
    CliRun run = CliRun.of("--limit", "2000", "--epochs", "2", "--json", "--export-dir", exports.toString(),
        "--runs-dir", runs.toString());
    assertEquals(0, run.exitCode(), run.toString());
    JsonObject json = run.json();
    for (String key : List.of("epochs_run", "stopped_early", "best_epoch", "val_loss", "val_accuracy", "test_loss",
        "test_accuracy", "train_seconds", "samples_per_second", "export_dir")) {
      assertTrue(json.has(key), key + " in " + json);
    }
    assertEquals(2, json.get("epochs_run").getAsInt());
    assertTrue(json.get("test_accuracy").getAsDouble() > 0.7, "36 steps learn something: " + json);
    double expectedRate = 2 * 1800 / json.get("train_seconds").getAsDouble();
    assertEquals(expectedRate, json.get("samples_per_second").getAsDouble(), expectedRate * 1e-9);
    assertEquals(exports.resolve("1").toString(), json.get("export_dir").getAsString());
    assertTrue(Files.isRegularFile(exports.resolve("1/saved_model.pb")));
    assertEquals(1, run.out().strip().split("\n").length, "with --json, stdout holds only the JSON line");
    assertTrue(run.err().matches("(?s).*Epoch 1/2 - [0-9.]+s - loss: [0-9.]+ - accuracy: [0-9.]+ - val_loss: [0-9.]+"
        + " - val_accuracy: [0-9.]+.*"), run.err());
    assertTrue(run.err().contains("Test: loss"), run.err());
    Path runDir = Path.of(json.get("run_dir").getAsString());
    assertEquals(runs, runDir.getParent());
    for (String file : List.of("config.json", "history.csv", "history.json", "metrics.json", "training-curves.png")) {
      assertTrue(Files.isRegularFile(runDir.resolve(file)), file);
    }
    JsonObject timings = json.getAsJsonObject("timings");
    assertEquals(2, timings.getAsJsonArray("epoch_seconds").size());
    assertTrue(timings.get("steady_step_ms").getAsDouble() > 0, timings.toString());

    CliRun evaluated = CliRun.of("evaluate", "--model", exports.resolve("1").toString(), "--json");
    assertEquals(0, evaluated.exitCode(), evaluated.toString());
    assertEquals(json.get("test_accuracy").getAsDouble(), evaluated.json().get("accuracy").getAsDouble(), 1e-6,
        "evaluate reports the test accuracy train printed");
    assertEquals(json.get("test_loss").getAsDouble(), evaluated.json().get("loss").getAsDouble(), 1e-5);
  }

  /**
   * {@code --test-each-epoch} scores the test set after every epoch, outside the timed training
   * ({@code TrainerTest} shows such work is left out), and logs how long each scoring took.
   */
  @Test
  void testEachEpochScoresTheTestSetAfterEveryEpoch() {
    CliRun run = CliRun.of("--limit", "1000", "--epochs", "2", "--test-each-epoch", "--quiet", "--json",
        "--no-export", "--runs-dir", tmp.resolve("runs").toString());
    assertEquals(0, run.exitCode(), run.toString());
    JsonObject json = run.json();
    assertEquals(2, json.getAsJsonArray("epoch_log").size());
    for (var entry : json.getAsJsonArray("epoch_log")) {
      JsonObject epoch = entry.getAsJsonObject();
      assertTrue(epoch.get("test_accuracy").getAsDouble() > 0.2, "better than chance: " + epoch);
      assertTrue(epoch.get("test_loss").getAsDouble() > 0, epoch.toString());
      assertTrue(epoch.get("test_seconds").getAsDouble() > 0, epoch.toString());
    }
    double trainSeconds = json.get("train_seconds").getAsDouble();
    assertEquals(2 * 900 / trainSeconds, json.get("samples_per_second").getAsDouble(), 1e-6 * 2 * 900 / trainSeconds);
  }

  @Test
  void quietPrintsOnlyTheResult() {
    CliRun run = CliRun.of("--limit", "1000", "--epochs", "1", "--quiet", "--no-export", "--runs-dir",
        tmp.resolve("runs").toString());
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(1, run.out().strip().split("\n").length, run.out());
    assertTrue(run.out().startsWith("Test: loss"), run.out());
    CliRun json = CliRun.of("--limit", "1000", "--epochs", "1", "--quiet", "--json", "--no-export", "--runs-dir",
        tmp.resolve("runs").toString());
    assertEquals("", json.err(), "nothing but the JSON line");
    assertEquals(1, json.json().get("epochs_run").getAsInt());
  }

  @Test
  void humanOutputGoesToStdoutAndNoExportIsHonoured() throws IOException {
    Path exports = tmp.resolve("none");
    CliRun run = CliRun.of("train", "--limit", "1000", "--epochs", "1", "--no-export", "--export-dir",
        exports.toString(), "--hidden-units", "20", "--runs-dir", tmp.resolve("runs").toString());
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("Epoch 1/1"), run.out());
    assertTrue(run.out().contains("Test: loss"), run.out());
    assertFalse(Files.exists(exports));
  }

  @Test
  void usageErrorsExitTwoWithOneErrorLine() {
    for (String[] args : List.of(
        new String[] {"--batch-size", "0"},
        new String[] {"--epochs", "-1"},
        new String[] {"--epochs", "many"},
        new String[] {"--validation-split", "1.5"},
        new String[] {"--learning-rate", "0"},
        new String[] {"--hidden-units", "50,0"},
        new String[] {"--no-such-option"},
        new String[] {"--model", "resnet"},
        new String[] {"--filters", "16"},
        new String[] {"--model", "cnn", "--filters", "16,0"},
        new String[] {"--model", "cnn", "--filters", "8,8,8,8"},
        new String[] {"--model", "cnn", "--dropout", "1"},
        new String[] {"--threads", "0"},
        new String[] {"--ema-momentum", "1"},
        new String[] {"--ema-momentum", "-0.5"},
        new String[] {"frobnicate"})) {
      CliRun run = CliRun.of(args);
      assertEquals(2, run.exitCode(), String.join(" ", args) + "\n" + run);
      assertTrue(run.errLines()[0].startsWith("error: "), run.toString());
      assertFalse(run.err().contains("\tat "), "no stack trace: " + run);
    }
    CliRun zero = CliRun.of("--batch-size", "0");
    assertEquals("error: --batch-size must be a positive integer, got 0", zero.errLines()[0]);
    assertEquals("error: --dropout applies to --model cnn only", CliRun.of("--dropout", "0.2").errLines()[0]);
    assertEquals("error: --dropout must be at least 0 and less than 1, got 1.0",
        CliRun.of("--model", "cnn", "--dropout", "1").errLines()[0]);
    assertEquals("error: --ema-momentum must be at least 0 (none) and less than 1, got 1.0",
        CliRun.of("--ema-momentum", "1").errLines()[0]);
  }

  @Test
  void badDataFailsFastWithOneLineNamingTheFileAndWritesNothing() throws IOException {
    Path data = tmp.resolve("data");
    Files.createDirectories(data);
    for (String name : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
      Files.copy(Path.of("data/mnist", name), data.resolve(name));
    }
    Path labels = data.resolve("train-labels-idx1-ubyte.gz");
    Files.write(labels, new byte[] {1, 2, 3, 4, 5});
    Path exports = tmp.resolve("exports");
    CliRun run = CliRun.of("--data", data.toString(), "--export-dir", exports.toString(), "--runs-dir",
        tmp.resolve("runs").toString());
    assertEquals(1, run.exitCode(), run.toString());
    assertEquals(1, run.errLines().length, run.toString());
    assertTrue(run.errLines()[0].startsWith("error: " + labels + ": not an IDX label file"), run.toString());
    assertEquals("", run.out(), "failed before the data was reported loaded: no training step ran");
    assertFalse(Files.exists(exports), "nothing written");
    assertFalse(Files.exists(tmp.resolve("runs")), "no run folder");
  }

  @Test
  void missingDataFolderAndVerboseStackTrace() {
    Path missing = tmp.resolve("missing");
    CliRun run = CliRun.of("--data", missing.toString(), "--no-export");
    assertEquals(1, run.exitCode());
    assertEquals("error: " + missing + ": no such directory (the MNIST data folder expected)", run.errLines()[0]);
    CliRun verbose = CliRun.of("--data", missing.toString(), "--no-export", "--verbose");
    assertEquals(1, verbose.exitCode());
    assertTrue(verbose.err().contains("\tat io.mnisttf.data.Mnist"), verbose.toString());
  }

  @Test
  void aDivergingRunStopsWithAnErrorAndExportsNothing() {
    Path exports = tmp.resolve("exports");
    CliRun run = CliRun.of("--limit", "2000", "--epochs", "3", "--learning-rate", "1e10", "--export-dir",
        exports.toString(), "--runs-dir", tmp.resolve("runs").toString());
    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.err().matches("(?s)error: training diverged: training loss is nan at epoch 1, step \\d+; "
        + "nothing was exported \\(a smaller --learning-rate may help\\)\\s*"), run.toString());
    assertFalse(Files.exists(exports), "no model");
  }
}
