package io.mnisttf.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import io.mnisttf.runtime.RegisteredOps;
import io.mnisttf.testing.Unstripped;
import io.mnisttf.train.Metrics;
import io.mnisttf.train.TrainConfig;
import io.mnisttf.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import io.mnisttf.layout.ExportContract;

class SavedModelExporterTest {
  static final ExportContract CONTRACT = SavedModelExporter.contract(java.util.Map.of("test_accuracy", 0.5),
      java.util.Map.of("t10k-images-idx3-ubyte.gz", "00ff"));
  @TempDir static Path base;
  static Path exported;
  static float[] inSession;
  static Metrics inSessionTest;
  static MnistData test;

  @BeforeAll
  static void trainBrieflyAndExport() throws Exception {
    Mnist mnist = Mnist.load(Mnist.DEFAULT_DIR);
    test = mnist.test();
    MnistData.Split split = mnist.train().first(3_000).split(300, 1);
    try (Trainer trainer = new Trainer(TrainConfig.DEFAULTS.withEpochs(1))) {
      trainer.fit(split.train(), split.validation(), List.of());
      inSession = trainer.predictProbabilities(test);
      inSessionTest = trainer.evaluate(test);
      exported = SavedModelExporter.export(trainer.config().model(), trainer::saveCheckpoint, CONTRACT, base);
    }
  }

  @Test
  void writesTheServingLayout() {
    assertEquals(base.resolve("1"), exported);
    assertTrue(Files.isRegularFile(exported.resolve("saved_model.pb")));
    assertTrue(Files.isRegularFile(exported.resolve("variables/variables.index")));
    assertTrue(Files.isRegularFile(exported.resolve("variables/variables.data-00000-of-00001")));
    assertEquals(java.util.Optional.of(CONTRACT), assertDoesNotThrow(() -> ExportContract.read(exported)),
        "the contract is written inside the version folder before it is published");
  }

  @Test
  void signatureIsServingDefaultPredictFromImagesToProbabilitiesAndClasses() throws Exception {
    SavedModel model = SavedModel.parseFrom(Files.readAllBytes(exported.resolve("saved_model.pb")));
    assertEquals(1, model.getSavedModelSchemaVersion());
    assertEquals(1, model.getMetaGraphsCount());
    MetaGraphDef meta = model.getMetaGraphs(0);
    assertEquals(List.of("serve"), meta.getMetaInfoDef().getTagsList());
    SignatureDef sig = meta.getSignatureDefOrThrow("serving_default");
    assertEquals("tensorflow/serving/predict", sig.getMethodName());
    assertEquals(Set.of("images"), sig.getInputsMap().keySet());
    assertEquals(Set.of("probabilities", "classes"), sig.getOutputsMap().keySet());
    assertEquals(DataType.DT_FLOAT, sig.getInputsOrThrow("images").getDtype());
    assertEquals(List.of(-1L, 28L, 28L), sig.getInputsOrThrow("images").getTensorShape().getDimList().stream()
        .map(d -> d.getSize()).toList());
    assertEquals(DataType.DT_FLOAT, sig.getOutputsOrThrow("probabilities").getDtype());
    assertEquals(List.of(-1L, 10L), sig.getOutputsOrThrow("probabilities").getTensorShape().getDimList().stream()
        .map(d -> d.getSize()).toList());
    assertEquals(DataType.DT_INT64, sig.getOutputsOrThrow("classes").getDtype());
    assertEquals(List.of(-1L), sig.getOutputsOrThrow("classes").getTensorShape().getDimList().stream()
        .map(d -> d.getSize()).toList());
    assertEquals("save/filename:0", meta.getSaverDef().getFilenameTensorName(),
        "the saver Python's load_v1_in_v2 restores through");
  }

  @Test
  void metaInfoNamesTheTensorFlowVersionAndTheOpsUsed() throws Exception {
    MetaGraphDef meta = SavedModel.parseFrom(Files.readAllBytes(exported.resolve("saved_model.pb")))
        .getMetaGraphs(0);
    assertEquals(TensorFlow.version(), meta.getMetaInfoDef().getTensorflowVersion());
    Set<String> listed = new TreeSet<>();
    meta.getMetaInfoDef().getStrippedOpList().getOpList().forEach(op -> {
      listed.add(op.getName());
      assertTrue(op.getDescription().isEmpty() && op.getSummary().isEmpty(), op.getName() + " stripped");
    });
    Set<String> used = new TreeSet<>();
    meta.getGraphDef().getNodeList().forEach(n -> used.add(n.getOp()));
    assertEquals(used, listed);
  }

  @Test
  void defaultValuedAttrsAreStrippedAsPythonDoes() throws Exception {
    MetaGraphDef meta = SavedModel.parseFrom(Files.readAllBytes(exported.resolve("saved_model.pb")))
        .getMetaGraphs(0);
    assertTrue(meta.getMetaInfoDef().getStrippedDefaultAttrs());
    assertEquals(List.of(), DefaultAttrStripper.defaultValued(meta.getGraphDef(), RegisteredOps::get));
    NodeDef matMul = meta.getGraphDef().getNodeList().stream().filter(n -> n.getOp().equals("MatMul")).findFirst()
        .orElseThrow();
    assertFalse(matMul.containsAttr("grad_a"), "the attr TF 2.4 and 1.15 refuse");
    assertTrue(matMul.containsAttr("T"), "attrs without a default stay");
  }

  @Test
  void strippedExportPredictsBitIdenticallyToTheUnstrippedOne(@TempDir Path tmp) throws Exception {
    Path unstripped = Unstripped.copy(exported, tmp.resolve("unstripped"));
    MetaGraphDef meta = SavedModel.parseFrom(Files.readAllBytes(unstripped.resolve("saved_model.pb")))
        .getMetaGraphs(0);
    assertFalse(DefaultAttrStripper.defaultValued(meta.getGraphDef(), RegisteredOps::get).isEmpty(),
        "the copy has TF Java's default-valued attrs back");
    float[] stripped = predict(exported).probabilities;
    float[] full = predict(unstripped).probabilities;
    for (int i = 0; i < stripped.length; i++) {
      assertEquals(Float.floatToRawIntBits(full[i]), Float.floatToRawIntBits(stripped[i]), "probability " + i);
    }
  }

  @Test
  void graphIsInferenceOnly() throws Exception {
    MetaGraphDef meta = SavedModel.parseFrom(Files.readAllBytes(exported.resolve("saved_model.pb")))
        .getMetaGraphs(0);
    List<NodeDef> nodes = meta.getGraphDef().getNodeList();
    List<String> variables = nodes.stream().filter(n -> n.getOp().equals("VariableV2")).map(NodeDef::getName)
        .sorted().toList();
    assertEquals(List.of("dense_1_bias", "dense_1_kernel", "dense_2_bias", "dense_2_kernel", "dense_3_bias",
        "dense_3_kernel"), variables, "the weights only, no optimizer slots");
    for (NodeDef node : nodes) {
      String op = node.getOp();
      assertFalse(op.startsWith("Apply") || op.contains("Adam") || op.contains("Summary") || op.contains("Dataset")
          || op.contains("SoftmaxCrossEntropy") || op.equals("RandomUniform")
          || op.equals("StatelessRandomUniformV2"), "unexpected op " + node.getName() + " (" + op + ")");
      assertFalse(node.getName().contains("labels") || node.getName().contains("loss"), node.getName());
    }
  }

  @Test
  void loadedModelPredictsWhatTheTrainingSessionPredicted() {
    Predictions out = predict(exported);
    int correct = 0;
    for (int i = 0; i < out.probabilities.length; i++) {
      assertEquals(inSession[i], out.probabilities[i], 1e-6, "probability " + i);
    }
    for (int i = 0; i < test.size(); i++) {
      correct += out.classes[i] == test.label(i) ? 1 : 0;
    }
    assertEquals(inSessionTest.accuracy(), correct / (double) test.size(), 1e-6);
  }

  record Predictions(float[] probabilities, long[] classes) {}

  /** Loads a SavedModel and runs serving_default on the 10 000 test images. */
  static Predictions predict(Path model) {
    try (SavedModelBundle bundle = SavedModelBundle.load(model.toString(), "serve")) {
      Signature signature = bundle.function("serving_default").signature();
      assertEquals("tensorflow/serving/predict", signature.methodName());
      float[] pixels = new float[test.size() * MnistData.PIXELS];
      for (int i = 0; i < test.size(); i++) {
        test.copyScaled(i, pixels, i * MnistData.PIXELS);
      }
      float[] probabilities = new float[test.size() * 10];
      long[] classes = new long[test.size()];
      try (TFloat32 images = TFloat32.tensorOf(Shape.of(test.size(), 28, 28), DataBuffers.of(pixels));
          Result out = bundle.function("serving_default").call(Map.of("images", images))) {
        ((TFloat32) out.get("probabilities").orElseThrow()).asRawTensor().data().asFloats().read(probabilities);
        ((TInt64) out.get("classes").orElseThrow()).asRawTensor().data().asLongs().read(classes);
      }
      return new Predictions(probabilities, classes);
    }
  }

  @Test
  void aSecondExportIsVersionTwoAndLeavesVersionOneAlone() throws Exception {
    Path versionTwo = base.resolve("2");
    byte[] before = Files.readAllBytes(exported.resolve("variables/variables.data-00000-of-00001"));
    try (Trainer trainer = new Trainer(TrainConfig.DEFAULTS.withSeed(5))) {
      assertEquals(versionTwo, SavedModelExporter.export(trainer.config().model(), trainer::saveCheckpoint, base));
      assertEquals(java.util.Map.of(), ExportContract.read(versionTwo).orElseThrow().metrics(),
          "an export outside a training run has a contract without metrics");
    }
    assertArrayEquals(before, Files.readAllBytes(exported.resolve("variables/variables.data-00000-of-00001")));
    assertFalse(java.util.Arrays.equals(before,
        Files.readAllBytes(versionTwo.resolve("variables/variables.data-00000-of-00001"))));
  }

  @Test
  void theTemporaryCheckpointIsAHiddenStagingFolderOfTheBaseSoAKilledExportLeavesNothingElse() throws Exception {
    Path own = base.resolve("own-base");
    java.util.List<Path> prefixes = new java.util.ArrayList<>();
    try (Trainer trainer = new Trainer(TrainConfig.DEFAULTS)) {
      SavedModelExporter.export(trainer.config().model(), prefix -> {
        prefixes.add(prefix);
        trainer.saveCheckpoint(prefix);
      }, own);
    }
    Path folder = prefixes.get(0).getParent();
    assertEquals(own, folder.getParent(), "beside the version folders, where the next export removes leftovers");
    assertTrue(folder.getFileName().toString().startsWith(".tmp-"), folder.toString());
    assertFalse(Files.exists(folder), "removed after the export");
  }
}
