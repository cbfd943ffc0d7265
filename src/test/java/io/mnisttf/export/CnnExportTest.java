package io.mnisttf.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import io.mnisttf.layout.ExportContract;
import io.mnisttf.runtime.RegisteredOps;
import io.mnisttf.savedmodel.Classifier;
import io.mnisttf.savedmodel.ClassifierOptions;
import io.mnisttf.savedmodel.Classifiers;
import io.mnisttf.testing.Unstripped;
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
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.types.TFloat32;

/** The CNN's export, after one epoch on a few hundred images: the same serving contract as the MLP's. */
class CnnExportTest {
  @TempDir static Path base;
  static Path exported;
  static MnistData test;
  static float[] inSession;

  @BeforeAll
  static void trainBrieflyAndExport() throws Exception {
    test = Mnist.loadTest(Mnist.DEFAULT_DIR).first(200);
    MnistData.Split split = Mnist.loadTrain(Mnist.DEFAULT_DIR).first(600).split(100, 1);
    try (Trainer trainer = new Trainer(TrainConfig.CNN_DEFAULTS.withEpochs(1))) {
      trainer.fit(split, List.of());
      inSession = trainer.predictProbabilities(test);
      exported = SavedModelExporter.export(trainer.config().model(), trainer::saveCheckpoint,
          SavedModelExporter.contract(Map.of(), Map.of()), base);
    }
  }

  @Test
  void theGraphIsTheInferencePassOnlyWithoutDropout() throws Exception {
    MetaGraphDef meta = meta(exported);
    List<NodeDef> nodes = meta.getGraphDef().getNodeList();
    assertEquals(List.of("conv2d_1_bias", "conv2d_1_kernel", "conv2d_2_bias", "conv2d_2_kernel", "dense_1_bias",
        "dense_1_kernel"), nodes.stream().filter(n -> n.getOp().equals("VariableV2")).map(NodeDef::getName).sorted()
        .toList(), "the weights only, no optimizer slots");
    Set<String> ops = new TreeSet<>();
    nodes.forEach(n -> ops.add(n.getOp()));
    assertTrue(ops.containsAll(List.of("Conv2D", "MaxPool", "BiasAdd", "Relu", "MatMul", "Softmax")), ops.toString());
    for (String op : ops) {
      assertFalse(op.contains("Random") || op.startsWith("Apply") || op.contains("Adam") || op.equals("MaxPoolV2")
          || op.contains("SoftmaxCrossEntropy"), "unexpected op " + op);
    }
    assertTrue(meta.getMetaInfoDef().getStrippedDefaultAttrs());
    assertEquals(List.of(), DefaultAttrStripper.defaultValued(meta.getGraphDef(), RegisteredOps::get));
    NodeDef conv = nodes.stream().filter(n -> n.getOp().equals("Conv2D")).findFirst().orElseThrow();
    assertFalse(conv.containsAttr("explicit_paddings") || conv.containsAttr("dilations"), "defaults stripped");
    assertEquals("VALID", conv.getAttrOrThrow("padding").getS().toStringUtf8());
  }

  @Test
  void theSignatureAndContractAreTheMlpsImagesInProbabilitiesAndClassesOut() throws Exception {
    var sig = meta(exported).getSignatureDefOrThrow("serving_default");
    assertEquals("tensorflow/serving/predict", sig.getMethodName());
    assertEquals(Set.of("images"), sig.getInputsMap().keySet());
    assertEquals(List.of(-1L, 28L, 28L), sig.getInputsOrThrow("images").getTensorShape().getDimList().stream()
        .map(d -> d.getSize()).toList());
    assertEquals(Set.of("probabilities", "classes"), sig.getOutputsMap().keySet());
    ExportContract contract = ExportContract.read(exported).orElseThrow();
    assertEquals("images", contract.input());
    assertEquals("unit", contract.inputScale());
  }

  @Test
  void loadedItPredictsWhatTheTrainingSessionPredictedInTensorFlowAndThroughTheClassifier() throws Exception {
    float[] pixels = new float[test.size() * MnistData.PIXELS];
    for (int i = 0; i < test.size(); i++) {
      test.copyScaled(i, pixels, i * MnistData.PIXELS);
    }
    float[] loaded = serve(exported, pixels);
    for (int i = 0; i < loaded.length; i++) {
      assertEquals(inSession[i], loaded[i], 1e-5, "probability " + i);
    }
    float[] classified = new float[loaded.length];
    try (Classifier classifier = Classifiers.open(exported, ClassifierOptions.DEFAULTS.inProcess())) {
      classifier.classify(pixels, test.size(), classified, null);
    }
    for (int i = 0; i < loaded.length; i++) {
      assertEquals(loaded[i], classified[i], 1e-6, "probability " + i);
    }
  }

  @Test
  void strippedPredictsBitIdenticallyToUnstripped(@TempDir Path tmp) throws Exception {
    float[] pixels = new float[50 * MnistData.PIXELS];
    for (int i = 0; i < 50; i++) {
      test.copyScaled(i, pixels, i * MnistData.PIXELS);
    }
    float[] stripped = serve(exported, pixels);
    float[] full = serve(Unstripped.copy(exported, tmp.resolve("unstripped")), pixels);
    for (int i = 0; i < stripped.length; i++) {
      assertEquals(Float.floatToRawIntBits(full[i]), Float.floatToRawIntBits(stripped[i]), "probability " + i);
    }
  }

  private static MetaGraphDef meta(Path model) throws Exception {
    return SavedModel.parseFrom(Files.readAllBytes(model.resolve("saved_model.pb"))).getMetaGraphs(0);
  }

  /** serving_default's probabilities for {@code pixels} ([n, 784] in [0,1]). */
  private static float[] serve(Path model, float[] pixels) {
    int n = pixels.length / MnistData.PIXELS;
    try (SavedModelBundle bundle = SavedModelBundle.load(model.toString(), "serve");
        TFloat32 images = TFloat32.tensorOf(Shape.of(n, 28, 28), DataBuffers.of(pixels, true, false));
        Result out = bundle.function("serving_default").call(Map.of("images", images))) {
      float[] probabilities = new float[n * 10];
      ((TFloat32) out.get("probabilities").orElseThrow()).asRawTensor().data().asFloats().read(probabilities);
      return probabilities;
    }
  }
}
