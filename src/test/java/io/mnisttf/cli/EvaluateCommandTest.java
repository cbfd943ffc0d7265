package io.mnisttf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.mnisttf.layout.ExportContract;
import io.mnisttf.testing.Fixtures;
import io.mnisttf.testing.TestModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {
  /** Committed (CC0): Flatten -> Dense(200) -> Dense(60) -> Dense(10, softmax), Keras 2, TF 2.12. */
  static final Path FIXTURE = Fixtures.pythonModel("keras2-mlp-200-60-tf212");
  static final List<String> JSON_FIELDS = List.of("model", "signature", "input_key", "input_shape", "input_scale",
      "output_key", "output_kind", "examples", "loss", "accuracy");

  @TempDir Path tmp;

  private static void assertOneLineError(CliRun run, int exitCode, String... parts) {
    assertEquals(exitCode, run.exitCode(), run::toString);
    String[] lines = run.errLines();
    assertTrue(lines.length >= 1 && lines[0].startsWith("error: "), run::toString);
    for (String line : lines) {
      assertFalse(line.strip().startsWith("at "), "no stack trace: " + run);
    }
    if (exitCode == 1) {
      assertEquals(1, lines.length, run::toString);
    }
    for (String part : parts) {
      assertTrue(lines[0].contains(part), "'" + part + "' expected in " + lines[0]);
    }
  }

  /** One run (one worker) for both: the JSON line and the predictions CSV of the same evaluation. */
  @Test
  void jsonLineAndPredictionsCsvOfAPythonModel() throws Exception {
    Path csv = tmp.resolve("predictions.csv");
    CliRun run = CliRun.of("evaluate", "--model", FIXTURE.toString(), "--json", "--predictions", csv.toString());
    assertEquals(0, run.exitCode(), run::toString);
    JsonObject json = run.json();
    for (String field : JSON_FIELDS) {
      assertTrue(json.has(field), field + " missing in " + json);
    }
    assertEquals("serving_default", json.get("signature").getAsString());
    assertEquals("flatten_input", json.get("input_key").getAsString());
    assertEquals("[-1,28,28]", json.get("input_shape").toString());
    assertEquals("unit", json.get("input_scale").getAsString());
    assertEquals("dense_2", json.get("output_key").getAsString());
    assertEquals("probabilities", json.get("output_kind").getAsString());
    assertEquals(10_000, json.get("examples").getAsInt());
    assertEquals(0.9750, json.get("accuracy").getAsDouble(), 0.002);
    assertTrue(json.get("loss").getAsDouble() > 0.05 && json.get("loss").getAsDouble() < 0.5, json::toString);
    assertEquals(1, run.out().strip().split("\n").length, "only the JSON line on stdout: " + run);
    assertTrue(run.err().contains("Test: loss"), "human lines go to stderr: " + run);

    List<String> lines = Files.readAllLines(csv);
    assertEquals("index,label,predicted,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9", lines.get(0));
    assertEquals(10_001, lines.size());
    int correct = 0;
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",");
      assertEquals(13, f.length, lines.get(i));
      assertEquals(i - 1, Integer.parseInt(f[0]));
      int best = 0;
      double sum = 0;
      for (int c = 0; c < 10; c++) {
        double p = Double.parseDouble(f[3 + c]);
        sum += p;
        best = p > Double.parseDouble(f[3 + best]) ? c : best;
      }
      assertEquals(1.0, sum, 1e-4, lines.get(i));
      assertEquals(best, Integer.parseInt(f[2]), lines.get(i));
      correct += f[1].equals(f[2]) ? 1 : 0;
    }
    assertEquals(json.get("accuracy").getAsDouble(), correct / 10_000.0, 1e-12);
    assertEquals(csv.toString(), json.get("predictions").getAsString());
  }

  @Test
  void humanOutputOfOurExportLikeModel() throws Exception {
    Path dir = TestModel.ours().export(tmp.resolve("ours"));
    CliRun run = CliRun.of("evaluate", "--model", dir.toString());
    assertEquals(0, run.exitCode(), run::toString);
    for (String part : List.of("Signature: serving_default (tensorflow/serving/predict)",
        "Input:     images DT_FLOAT [-1,28,28]", "Scale:     unit [0,1] ([0,1] pixels: loss",
        "Output:    probabilities DT_FLOAT [-1,10]: probabilities", "Test: loss", "accuracy 0.82",
        "Confusion matrix (rows: true digit, columns: predicted digit):")) {
      assertTrue(run.out().contains(part), "'" + part + "' expected in " + run);
    }
  }

  @Test
  void requestedScaleOverridesCalibration() throws Exception {
    Path dir = TestModel.linear().with(m -> m.expectsBytes = true).export(tmp.resolve("bytes"));
    JsonObject auto = CliRun.of("evaluate", "--model", dir.toString(), "--json").json();
    JsonObject unit = CliRun.of("evaluate", "--model", dir.toString(), "--json", "--input-scale", "unit")
        .json();
    assertEquals("byte", auto.get("input_scale").getAsString());
    assertEquals("unit", unit.get("input_scale").getAsString());
    assertTrue(unit.get("input_scale_reason").getAsString().startsWith("requested"));
    assertTrue(unit.get("accuracy").getAsDouble() < auto.get("accuracy").getAsDouble() - 0.1,
        auto + " vs " + unit);
  }

  @Test
  void notASavedModelIsOneErrorLineAndExit1() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("empty"));
    assertOneLineError(CliRun.of("evaluate", "--model", dir.toString()), 1, dir.toString(),
        "not a SavedModel folder");
    assertOneLineError(CliRun.of("evaluate", "--model", dir.toString(), "--json"), 1);
  }

  @Test
  void unsafeModelIsRefusedUnlessAllowed() throws Exception {
    Path target = tmp.resolve("written.txt");
    Path dir = TestModel.ours().with(m -> m.writeFileOnLoad = target).export(tmp.resolve("unsafe"));
    assertOneLineError(CliRun.of("evaluate", "--model", dir.toString()), 1, "refused before loading",
        "WriteFile");
    assertFalse(Files.exists(target));
    CliRun allowed = CliRun.of("evaluate", "--model", dir.toString(), "--allow-unsafe-ops",
        "--json");
    assertEquals(0, allowed.exitCode(), allowed::toString);
    assertTrue(allowed.err().contains("warning: the model holds unsafe ops, allowed by --allow-unsafe-ops:"
        + " [WriteFile"), allowed::toString);
    assertTrue(Files.exists(target));
  }

  @Test
  void modelFailingAtRunTimeIsOneErrorLine() throws Exception {
    Path dir = TestModel.ours().with(m -> m.failsAtRunTime = true).export(tmp.resolve("failing"));
    assertOneLineError(CliRun.of("evaluate", "--model", dir.toString()), 1, dir.toString(),
        "calling signature 'serving_default' failed");
  }

  @Test
  void badDataFolderIsOneErrorLine() {
    Path missing = tmp.resolve("no-data");
    assertOneLineError(CliRun.of("evaluate", "--model", FIXTURE.toString(), "--data", missing.toString()),
        1, missing.toString());
  }

  /**
   * Our export with the contract {@code train} puts in it: scored without calibration, to the test accuracy
   * {@code train} printed. The model is the one trained through the CLI for all the tests of this JVM that need
   * a real export ({@link TrainedExport}), not one trained here as well.
   */
  @Test
  @ExtendWith(TrainedExport.class)
  void ourExportWithItsContractIsNotCalibratedAndScoresAsTrainPrinted(TrainedExport.Model trained) throws Exception {
    double trainAccuracy = trained.testAccuracy();
    Path dir = trained.dir();
    ExportContract contract = ExportContract.read(dir).orElseThrow(() -> new AssertionError("train wrote no contract"));
    assertEquals(trainAccuracy, contract.metrics().get("test_accuracy"), 1e-9);
    assertEquals(4, contract.dataSha256().size(), contract::toString);
    CliRun run = CliRun.of("evaluate", "--model", dir.toString(), "--json", "--data", "data/mnist");
    assertEquals(0, run.exitCode(), run::toString);
    JsonObject json = run.json();
    assertEquals(0, json.get("calibration_samples").getAsInt());
    assertTrue(json.get("input_scale_reason").getAsString().startsWith("from the export's contract"), json::toString);
    assertEquals(trainAccuracy, json.get("accuracy").getAsDouble(), 1e-4);
    assertTrue(run.err().contains("Scale:     unit [0,1] (from the export's contract, assets.extra/mnist-tf-java.json)"),
        run::toString);
    assertTrue(run.err().contains("Loaded in ") && run.err().contains("s, not calibrated;"), run::toString);
    assertTrue(run.err().contains("Note:      the export's contract records from training: "), run::toString);
    assertTrue(run.err().contains(String.format(java.util.Locale.ROOT, "test_accuracy %.4f", trainAccuracy)),
        run::toString);
  }

  @Test
  void tensorNamesAndTagSets() throws Exception {
    Path dir = TestModel.linear().with(m -> {
      m.noSignatures = true;
      m.tags = new String[] {"tf1"};
    }).export(tmp.resolve("tf1"));
    CliRun run = CliRun.of("evaluate", "--model", dir.toString(), "--input", "images:0", "--output", "softmax:0");
    assertEquals(0, run.exitCode(), run::toString);
    for (String part : List.of("Signature: (graph tensors)", "Input:     images:0 DT_FLOAT [-1,28,28], fed as"
        + " [-1,28,28]", "Note:      no 'serve' tag set; using the model's only tag set 'tf1'",
        "Note:      called by graph tensor names images:0 -> softmax:0", "accuracy 0.82")) {
      assertTrue(run.out().contains(part), "'" + part + "' expected in " + run);
    }
    assertOneLineError(CliRun.of("evaluate", "--model", dir.toString(), "--input", "x:0", "--output", "softmax:0"),
        1, "no tensor 'x:0' in the graph; its placeholders: images:0");
    assertOneLineError(CliRun.of("evaluate", "--model", dir.toString(), "--tag-set", "serve", "--input",
        "images:0", "--output", "softmax:0"), 1, "no tag set 'serve'; the model has tag sets 'tf1'");
    assertOneLineError(CliRun.of("evaluate", "--model", dir.toString(), "--input", "images:0"), 2,
        "--input needs --output");
    assertOneLineError(CliRun.of("evaluate", "--model", dir.toString(), "--signature", "s", "--input", "images:0",
        "--output", "softmax:0"), 2, "--signature cannot be combined with --input and --output");
  }

  @Test
  void tfExampleInputsAreReportedAsBuilt() throws Exception {
    Path dir = TestModel.linear().with(m -> {
      m.exampleParser = "ParseExampleV2";
      m.inputShape = new long[] {-1, 784};
    }).export(tmp.resolve("examples"));
    CliRun run = CliRun.of("evaluate", "--model", dir.toString());
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("Input:     examples DT_STRING [-1], fed as tf.Example {x: float [784]}, parsed by"
        + " ParseExampleV2"), run::toString);
    Path strings = TestModel.linear().with(m -> m.stringServingDefault = true).export(tmp.resolve("strings"));
    assertOneLineError(CliRun.of("evaluate", "--model", strings.toString(), "--signature", "serving_default"), 1,
        "input 'inputs' is DT_STRING, but the graph neither parses it as tf.Example nor decodes it as an image");
  }

  @Test
  void usageErrorsExit2() {
    assertOneLineError(CliRun.of("evaluate"), 2, "--model");
    assertOneLineError(CliRun.of("evaluate", "--model", FIXTURE.toString(), "--input-scale", "huge"), 2,
        "--input-scale");
  }
}
