package io.mnisttf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.mnisttf.layout.ExportContract;
import io.mnisttf.export.SavedModelExporter;
import io.mnisttf.testing.TestModel;
import io.mnisttf.testing.Fixtures;
import io.mnisttf.train.TrainConfig;
import io.mnisttf.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.types.TUint8;

class InspectCommandTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"keras2-flatten-dense10-tf24", "keras2-mlp-200-60-tf212",
      "keras2-quickstart-softmax-tf20", "keras3-export-mlp-tf218"})
  void describesEveryFixture(String name) {
    Path dir = Fixtures.pythonModel(name);
    CliRun text = CliRun.of("inspect", "--model", dir.toString());
    assertEquals(0, text.exitCode(), text::toString);
    for (String part : List.of("MetaGraphDef with tag-set: 'serve' contains the following SignatureDefs:",
        "signature_def['serving_default']:", "inputs['", "dtype: DT_FLOAT", "shape: (-1, 28, 28)",
        "shape: (-1, 10)", "Method name is: tensorflow/serving/predict", "(from variables/variables.index)",
        "StatefulPartitionedCall", "Safety: safe", "Evaluate would use: serving_default")) {
      assertTrue(text.out().contains(part), "'" + part + "' expected in " + text);
    }
    JsonObject json = CliRun.of("inspect", "--model", dir.toString(), "--json").json();
    assertEquals("serve", json.getAsJsonArray("meta_graphs").get(0).getAsJsonObject().getAsJsonArray("tags")
        .get(0).getAsString());
    assertEquals("safe", json.getAsJsonObject("safety").get("verdict").getAsString());
    List<String> saverOnly = new java.util.ArrayList<>();
    json.getAsJsonObject("safety").getAsJsonArray("saver_only_ops")
        .forEach(op -> saverOnly.add(op.getAsJsonObject().get("op_type").getAsString()));
    assertEquals(List.of("MergeV2Checkpoints", "SaveV2"), saverOnly);
    assertTrue(json.getAsJsonObject("variables").get("count").getAsInt() > 0);
    assertTrue(json.getAsJsonObject("op_histogram").get("MatMul").getAsInt() > 0);
    assertEquals("serving_default", json.get("evaluate_signature").getAsString());
  }

  @Test
  void describesOurExport() throws Exception {
    Path dir = TestModel.ours().export(tmp.resolve("ours"));
    JsonObject json = CliRun.of("inspect", "--model", dir.toString(), "--json").json();
    JsonObject signature = json.getAsJsonArray("meta_graphs").get(0).getAsJsonObject().getAsJsonArray("signatures")
        .get(0).getAsJsonObject();
    assertEquals("serving_default", signature.get("key").getAsString());
    assertEquals("tensorflow/serving/predict", signature.get("method_name").getAsString());
    assertEquals("images", signature.getAsJsonArray("inputs").get(0).getAsJsonObject().get("key").getAsString());
    assertEquals("[-1,28,28]", signature.getAsJsonArray("inputs").get(0).getAsJsonObject().get("shape").toString());
    assertEquals(6, json.getAsJsonObject("variables").get("count").getAsInt());
    assertEquals((784 * 50 + 50 + 50 * 50 + 50 + 50 * 10 + 10) * 4L,
        json.getAsJsonObject("variables").get("bytes").getAsLong());
    assertEquals(6, json.getAsJsonObject("op_histogram").get("VariableV2").getAsInt());
    assertEquals("safe", json.getAsJsonObject("safety").get("verdict").getAsString());
    assertEquals("serving_default", json.get("evaluate_signature").getAsString());
  }

  @Test
  void namesTheTensorFlowVersionsThatLoadTheModel() throws Exception {
    Path ours;
    try (Trainer trainer = new Trainer(TrainConfig.DEFAULTS)) {
      ours = SavedModelExporter.export(trainer.config().model(), trainer::saveCheckpoint, tmp.resolve("real"));
    }
    CliRun text = CliRun.of("inspect", "--model", ours.toString());
    assertTrue(text.out().contains("\nTensorFlow: loads in 1.15, 2.4, 2.7, 2.10, 2.16, 2.18\n"), text::toString);
    JsonObject json = CliRun.of("inspect", "--model", ours.toString(), "--json").json();
    assertEquals("1.15", json.get("min_tensorflow_version").getAsString());
    JsonObject versions = json.getAsJsonObject("tensorflow_versions");
    assertEquals(List.of("1.15", "2.4", "2.7", "2.10", "2.16", "2.18"), List.copyOf(versions.keySet()));
    versions.entrySet().forEach(e -> assertEquals("ok", e.getValue().getAsString(), e.getKey()));

    Path python = Fixtures.pythonModel("keras2-mlp-200-60-tf212");
    CliRun fixture = CliRun.of("inspect", "--model", python.toString());
    assertTrue(fixture.out().contains(
        "TensorFlow: loads in 2.10, 2.16, 2.18; not 2.7, 2.4, 1.15 (op DisableCopyOnRead unknown)"), fixture::toString);
    JsonObject fixtureJson = CliRun.of("inspect", "--model", python.toString(), "--json").json();
    assertEquals("2.10", fixtureJson.get("min_tensorflow_version").getAsString());
    assertEquals("op DisableCopyOnRead unknown",
        fixtureJson.getAsJsonObject("tensorflow_versions").get("2.7").getAsString());
  }

  @Test
  void reportsUnsafeOpsWithoutLoadingTheModel() throws Exception {
    Path target = tmp.resolve("written.txt");
    Path dir = TestModel.ours().with(m -> m.writeFileOnLoad = target).export(tmp.resolve("unsafe"));
    CliRun text = CliRun.of("inspect", "--model", dir.toString());
    assertEquals(0, text.exitCode(), text::toString);
    assertTrue(text.out().contains("Safety: unsafe: ops that touch files, the network or processes: WriteFile"),
        text::toString);
    assertTrue(text.out().contains("Evaluate would refuse it: "), text::toString);
    JsonObject json = CliRun.of("inspect", "--model", dir.toString(), "--json").json();
    assertEquals("unsafe", json.getAsJsonObject("safety").get("verdict").getAsString());
    assertEquals("WriteFile", json.getAsJsonObject("safety").getAsJsonArray("unsafe_ops").get(0).getAsJsonObject()
        .get("op_type").getAsString());
    assertFalse(Files.exists(target), "inspect runs nothing");
  }

  @Test
  void reportsBrokenVariablesAndUnsuitableSignatures() throws Exception {
    Path dir = TestModel.linear().with(m -> m.inputShape = new long[] {-1, 36, 36}).export(tmp.resolve("m"));
    Path data = dir.resolve("variables").resolve("variables.data-00000-of-00001");
    TestModel.truncate(data, 10);
    CliRun text = CliRun.of("inspect", "--model", dir.toString());
    assertEquals(0, text.exitCode(), text::toString);
    assertTrue(text.out().contains("problem: " + data + ": truncated variables data file"), text::toString);
    assertTrue(text.out().contains("Signature 'serving_default' cannot classify MNIST images: input 'images' takes"
        + " [-1,36,36]"), text::toString);
  }

  @Test
  void unreadableModelIsOneErrorLineAndExit1() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("m"));
    Files.write(dir.resolve("saved_model.pb"), new byte[] {8, (byte) 0x96});
    CliRun run = CliRun.of("inspect", "--model", dir.toString());
    assertEquals(1, run.exitCode(), run::toString);
    assertEquals(1, run.errLines().length, run::toString);
    assertTrue(run.errLines()[0].startsWith("error: " + dir.resolve("saved_model.pb") + ": "), run::toString);
  }

  @Test
  void tensorNamesAndTagSetsAreChosenAsEvaluateChoosesThem() throws Exception {
    Path dir = TestModel.linear().with(m -> {
      m.noSignatures = true;
      m.tags = new String[] {"tf1"};
    }).export(tmp.resolve("tf1"));
    CliRun discovered = CliRun.of("inspect", "--model", dir.toString());
    assertEquals(0, discovered.exitCode(), discovered::toString);
    assertTrue(discovered.out().contains("Evaluate would refuse it: " + dir + ": the model has no signatures to call"),
        discovered::toString);

    CliRun text = CliRun.of("inspect", "--model", dir.toString(), "--input", "images:0", "--output", "softmax:0");
    assertEquals(0, text.exitCode(), text::toString);
    for (String part : List.of("Evaluate would use: (graph tensors): images:0 DT_FLOAT [-1,28,28] -> softmax:0",
        "fed as [-1,28,28]\n", "  tag set: 'tf1'\n", "  scale:   auto (calibrated on 1000 training images",
        "  note:    no 'serve' tag set; using the model's only tag set 'tf1'\n",
        "  note:    called by graph tensor names images:0 -> softmax:0, not through a signature\n")) {
      assertTrue(text.out().contains(part), "'" + part + "' expected in " + text);
    }
    JsonObject json = CliRun.of("inspect", "--model", dir.toString(), "--input", "images:0", "--output", "softmax:0",
        "--tag-set", "tf1", "--json").json();
    assertEquals("(graph tensors)", json.get("evaluate_signature").getAsString());
    assertEquals("images:0", json.get("evaluate_input_key").getAsString());
    assertEquals("softmax:0", json.get("evaluate_output_key").getAsString());
    assertEquals("[-1,28,28]", json.get("evaluate_input_fed").getAsString());
    assertEquals("auto", json.get("evaluate_input_scale").getAsString());
    assertEquals("[\"tf1\"]", json.get("serving_tags").toString());
    assertEquals(1, json.getAsJsonArray("evaluate_notes").size(), json::toString);

    assertSameErrorAsEvaluate(dir, "--input", "x:0", "--output", "softmax:0");
    assertSameErrorAsEvaluate(dir, "--input", "images:0", "--output", "nope:0");
    assertSameErrorAsEvaluate(dir, "--tag-set", "serve", "--input", "images:0", "--output", "softmax:0");
    CliRun usage = CliRun.of("inspect", "--model", dir.toString(), "--input", "images:0");
    assertEquals(2, usage.exitCode(), usage::toString);
    assertTrue(usage.errLines()[0].equals("error: --input needs --output"), usage::toString);
  }

  @Test
  void signatureOptionIsChosenAsEvaluateChoosesIt() throws Exception {
    Path dir = TestModel.linear().with(m -> m.stringServingDefault = true).export(tmp.resolve("strings"));
    CliRun discovered = CliRun.of("inspect", "--model", dir.toString());
    assertTrue(discovered.out().contains("Evaluate would use: predict_images: images DT_FLOAT"), discovered::toString);
    JsonObject json = CliRun.of("inspect", "--model", dir.toString(), "--signature", "predict_images", "--json")
        .json();
    assertEquals("predict_images", json.get("evaluate_signature").getAsString());
    assertEquals("images", json.get("evaluate_input_key").getAsString());
    assertSameErrorAsEvaluate(dir, "--signature", "serving_default");
    assertSameErrorAsEvaluate(dir, "--signature", "nope");
  }

  @Test
  void anExportContractGivesTheScale() throws Exception {
    Path dir = TestModel.ours().export(tmp.resolve("ours"));
    CliRun calibrated = CliRun.of("inspect", "--model", dir.toString());
    assertTrue(calibrated.out().contains("  scale:   auto (calibrated on 1000 training images"), calibrated::toString);
    new ExportContract(ExportContract.VERSION, "serving_default", "images", "unit", "probabilities", "classes",
        List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), Map.of("test_accuracy", 0.9712), Map.of(), "test")
        .write(dir);
    CliRun text = CliRun.of("inspect", "--model", dir.toString());
    assertEquals(0, text.exitCode(), text::toString);
    for (String part : List.of("Evaluate would use: serving_default: images DT_FLOAT [-1,28,28] -> probabilities",
        "  tag set: 'serve'\n", "  scale:   unit [0,1] (from the export's contract, " + ExportContract.FILE + ")\n",
        "  note:    the export's contract records from training: test_accuracy 0.9712\n")) {
      assertTrue(text.out().contains(part), "'" + part + "' expected in " + text);
    }
    JsonObject json = CliRun.of("inspect", "--model", dir.toString(), "--signature", "serving_default", "--json")
        .json();
    assertEquals("unit", json.get("evaluate_input_scale").getAsString());
    assertEquals("from the export's contract, " + ExportContract.FILE,
        json.get("evaluate_input_scale_reason").getAsString());
    assertEquals("probabilities", json.get("evaluate_output_key").getAsString());

    new ExportContract(ExportContract.VERSION, "serving_default", "pixels", "unit", "probabilities", "classes",
        List.of(), Map.of(), Map.of(), "test").write(dir);
    CliRun contradicted = CliRun.of("inspect", "--model", dir.toString());
    assertEquals(0, contradicted.exitCode(), contradicted::toString);
    assertTrue(contradicted.out().contains("Evaluate would refuse it: " + dir.resolve(ExportContract.FILE)
        + ": the export's contract names input 'pixels'"), contradicted::toString);
  }

  @Test
  void wholeNumberInputsAreFedBytes() throws Exception {
    Path dir = TestModel.linear().with(m -> {
      m.inputType = TUint8.class;
      m.rescaleInside = true;
    }).export(tmp.resolve("uint8"));
    JsonObject json = CliRun.of("inspect", "--model", dir.toString(), "--json").json();
    assertEquals("byte", json.get("evaluate_input_scale").getAsString(), json::toString);
    assertTrue(json.get("evaluate_input_scale_reason").getAsString().startsWith("the model is fed DT_UINT8 whole"
        + " numbers"), json::toString);
  }

  /** inspect refuses the options with exactly the one-line error evaluate gives. */
  private static void assertSameErrorAsEvaluate(Path dir, String... options) {
    List<String> args = new java.util.ArrayList<>(List.of("--model", dir.toString()));
    args.addAll(List.of(options));
    List<String> inspectArgs = new java.util.ArrayList<>(List.of("inspect"));
    inspectArgs.addAll(args);
    List<String> evaluateArgs = new java.util.ArrayList<>(List.of("evaluate"));
    evaluateArgs.addAll(args);
    CliRun inspect = CliRun.of(inspectArgs.toArray(String[]::new));
    CliRun evaluate = CliRun.of(evaluateArgs.toArray(String[]::new));
    assertEquals(1, evaluate.exitCode(), evaluate::toString);
    assertEquals(1, inspect.exitCode(), inspect::toString);
    assertEquals(1, inspect.errLines().length, inspect::toString);
    assertTrue(inspect.errLines()[0].startsWith("error: "), inspect::toString);
    assertEquals(evaluate.errLines()[0], inspect.errLines()[0]);
  }
}
