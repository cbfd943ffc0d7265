package io.mnisttf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.mnisttf.savedmodel.TestModel;
import io.mnisttf.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
    Path dir = TestModel.linear().with(m -> m.inputShape = new long[] {-1, 32, 32}).export(tmp.resolve("m"));
    Path data = dir.resolve("variables").resolve("variables.data-00000-of-00001");
    TestModel.truncate(data, 10);
    CliRun text = CliRun.of("inspect", "--model", dir.toString());
    assertEquals(0, text.exitCode(), text::toString);
    assertTrue(text.out().contains("problem: " + data + ": truncated variables data file"), text::toString);
    assertTrue(text.out().contains("Signature 'serving_default' cannot classify MNIST images: input 'images' takes"
        + " [-1,32,32]"), text::toString);
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
}
