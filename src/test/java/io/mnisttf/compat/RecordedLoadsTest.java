package io.mnisttf.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.export.SavedModelExporter;
import io.mnisttf.savedmodel.internal.format.SavedModelReader;
import io.mnisttf.testing.Fixtures;
import io.mnisttf.testing.Unstripped;
import io.mnisttf.train.TrainConfig;
import io.mnisttf.train.Trainer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;

/**
 * The verdict against the real loads the compat profile recorded (src/test/resources/.../live-results.tsv:
 * model, TensorFlow version, whether the load logged the "unknown attribute" warning, {@code ok} or the
 * error), for our export, the same export with TF Java's
 * default-valued attrs left in, an export with an attr no runtime knows, and every Python fixture.
 */
class RecordedLoadsTest {
  @TempDir static Path tmp;
  static Path ourExport;
  static Map<String, Map<String, String>> recorded;
  static Map<String, Map<String, Boolean>> logged;

  @BeforeAll
  static void exportAndReadTheRecord() throws Exception {
    try (Trainer trainer = new Trainer(TrainConfig.DEFAULTS)) {
      ourExport = SavedModelExporter.export(trainer.config().model(), trainer::saveCheckpoint, tmp.resolve("ours"));
    }
    recorded = new LinkedHashMap<>();
    logged = new LinkedHashMap<>();
    try (InputStream in = RecordedLoadsTest.class.getResourceAsStream("live-results.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String[] f = line.split("\t", 4);
        recorded.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], f[3]);
        logged.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], f[2].equals("logged"));
      }
    }
  }

  static List<String> fixtures() {
    return Fixtures.ALL_NAMES;
  }

  @Test
  void ourExportLoadsInAllSixFrom115On() throws Exception {
    VersionVerdict verdict = assertMatchesRecord("our-export", ourExport);
    assertEquals("1.15", verdict.minVersion());
    assertEquals("loads in 1.15, 2.4, 2.7, 2.10, 2.16, 2.18", verdict.summary());
  }

  @Test
  void unstrippedExportIsRefusedBy24And115() throws Exception {
    VersionVerdict verdict = assertMatchesRecord("our-export-unstripped",
        Unstripped.copy(ourExport, tmp.resolve("unstripped")));
    assertEquals("2.7", verdict.minVersion());
    assertEquals("attrs MatMul.grad_a, MatMul.grad_b unknown", verdict.perVersion().get("2.4"));
    assertEquals(List.of("MatMul.grad_a", "MatMul.grad_b"), verdict.ignoredAttrs().get("2.10"));
  }

  @Test
  void anAttrNoRuntimeKnowsIsIgnoredFrom27On() throws Exception {
    Path model = Unstripped.copy(ourExport, tmp.resolve("future-attr"));
    Path pb = model.resolve(SavedModelReader.MODEL_FILE);
    SavedModel.Builder saved = SavedModel.parseFrom(Files.readAllBytes(pb)).toBuilder();
    GraphDef.Builder graph = saved.getMetaGraphsBuilder(0).getGraphDefBuilder();
    for (NodeDef.Builder node : graph.getNodeBuilderList()) {
      node.removeAttr("grad_a");
      node.removeAttr("grad_b");
      if (node.getOp().equals("MatMul")) {
        node.putAttr("future_attr", AttrValue.newBuilder().setB(false).build());
      }
    }
    Files.write(pb, saved.build().toByteArray());
    VersionVerdict verdict = assertMatchesRecord("unknown-attr", model);
    assertEquals(List.of("MatMul.future_attr"), verdict.ignoredAttrs().get("2.18"));
  }

  @Test
  void aJaxExportRunsInNoneOfTheSix() throws Exception {
    VersionVerdict verdict = assertMatchesRecord("keras3-jax-export",
        Fixtures.COMMITTED.resolve("keras3-jax-export"));
    assertEquals(null, verdict.minVersion(), verdict.summary());
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void pythonFixtureVerdictMatchesItsRealLoads(String name) throws Exception {
    assertMatchesRecord(name, Fixtures.pythonModel(name));
  }

  /**
   * Asserts, for each of the six runtimes, that the verdict loads the model exactly when it really loaded,
   * and ignores attrs exactly when the real load logged that it did.
   */
  static VersionVerdict assertMatchesRecord(String name, Path model) throws IOException {
    Map<String, String> live = recorded.get(name);
    assertTrue(live != null && live.size() == TfRuntime.ALL.size(), "six recorded loads of " + name);
    VersionVerdict verdict;
    try {
      verdict = TensorFlowVersions.assess(SavedModelReader.read(model).servingMetaGraph());
    } catch (io.mnisttf.savedmodel.SavedModelException e) {
      throw new AssertionError(e);
    }
    for (TfRuntime runtime : TfRuntime.ALL) {
      String real = live.get(runtime.version());
      assertEquals(real.equals("ok"), verdict.loads(runtime.version()),
          name + " in TensorFlow " + runtime.version() + ": really " + real + "; verdict "
              + verdict.perVersion().get(runtime.version()));
      if (real.equals("ok")) {
        assertEquals(logged.get(name).get(runtime.version()), verdict.ignoredAttrs().containsKey(runtime.version()),
            name + " in TensorFlow " + runtime.version() + ": the \"unknown attribute\" log line");
      }
    }
    return verdict;
  }
}
