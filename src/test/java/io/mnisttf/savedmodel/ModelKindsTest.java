package io.mnisttf.savedmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.data.MnistData;
import io.mnisttf.layout.ExportContract;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.types.TUint8;
import io.mnisttf.savedmodel.internal.runtime.InProcessClassifier;
import io.mnisttf.testing.TestData;
import io.mnisttf.testing.TestModel;

/**
 * The model kinds beyond a signature with a float image input (see {@link ModelVariantsTest} for those that
 * score the whole test set): signature-less TF1 graphs called by tensor names under a custom tag set,
 * {@code ParseSingleExample} front ends, our exports' contracts, and the bad cases of each, which are one-line
 * errors.
 */
class ModelKindsTest {
  @TempDir Path tmp;

  private static SavedModelException refused(Path dir, ClassifierOptions options) {
    SavedModelException e = assertThrows(SavedModelException.class, () -> InProcessClassifier.open(dir, options).close());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e;
  }

  private static void assertContains(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), "'" + part + "' expected in: " + message);
    }
  }

  /** Scores {@code n} test images and checks them against the plain-Java centroid classifier on the same ones. */
  private static void assertScoresLikeTheReference(InProcessClassifier c, int n) throws SavedModelException {
    MnistData test = TestData.test().first(n);
    Evaluation e = SavedModelEvaluator.evaluate(c, test);
    assertEquals(TestData.referenceAccuracy(test), e.accuracy(), 0.002, c.signature().describe());
  }

  @Test
  void signatureLessGraphWithACustomTagSetIsCalledByTensorNames() throws Exception {
    Path dir = TestModel.linear().with(m -> {
      m.noSignatures = true;
      m.tags = new String[] {"train_tf1"};
      m.inputShape = new long[] {-1, 784};
    }).export(tmp.resolve("tf1"));
    assertContains(refused(dir, ClassifierOptions.DEFAULTS).getMessage(), "the model has no signatures");

    ClassifierOptions byName = ClassifierOptions.DEFAULTS.withTensors("images:0", "softmax");
    try (InProcessClassifier c = InProcessClassifier.open(dir, byName)) {
      assertEquals(ModelSignature.TENSORS_KEY, c.signature().key());
      assertEquals("softmax:0", c.signature().output().name());
      assertEquals(List.of("train_tf1"), c.description().tags());
      assertContains(String.join("|", c.description().notes()),
          "no 'serve' tag set; using the model's only tag set 'train_tf1'",
          "called by graph tensor names images:0 -> softmax:0");
      assertEquals(InputScale.UNIT, c.calibration().scale());
      assertScoresLikeTheReference(c, 2000);
    }
    try (InProcessClassifier c = InProcessClassifier.open(dir, byName.withTagSet("train_tf1"))) {
      assertTrue(c.description().notes().stream().noneMatch(n -> n.contains("only tag set")));
    }

    assertContains(refused(dir, byName.withTagSet("serve,gpu")).getMessage(), dir.toString(),
        "no tag set 'serve,gpu'; the model has tag sets 'train_tf1'");
    assertContains(refused(dir, ClassifierOptions.DEFAULTS.withTensors("pixels:0", "softmax:0")).getMessage(),
        "no tensor 'pixels:0' in the graph; its placeholders: images:0");
    assertContains(refused(dir, ClassifierOptions.DEFAULTS.withTensors("images:0", "probs:0")).getMessage(),
        "no tensor 'probs:0' in the graph; its last outputs of classifier-like ops:", "softmax:0");
    assertContains(refused(dir, ClassifierOptions.DEFAULTS.withTensors("softmax:0", "softmax:0")).getMessage(),
        "input tensor 'softmax:0' is the output of a Softmax op, not a placeholder");
    assertContains(refused(dir, ClassifierOptions.DEFAULTS.withTensors("images:0", "softmax:3")).getMessage(),
        "no tensor 'softmax:3': Softmax op 'softmax' has 1 output(s)");
  }

  @Test
  void parseSingleExampleIsFedOneExampleAtATime() throws Exception {
    Path dir = TestModel.linear().with(m -> {
      m.exampleParser = "ParseSingleExample";
      m.inputShape = new long[] {-1, 28, 28};
      m.exampleKey = "pixels";
    }).export(tmp.resolve("single"));
    try (InProcessClassifier c = InProcessClassifier.open(dir, ClassifierOptions.DEFAULTS.withCalibrationSamples(200))) {
      ModelSignature s = c.signature();
      assertEquals("ParseSingleExample", s.example().parseOp());
      assertEquals("tf.Example {pixels: float [28,28]}", s.example().describe());
      assertEquals(1, s.fixedBatch());
      assertTrue(s.describeFeed().startsWith("tf.Example {pixels: float [28,28]}, parsed by ParseSingleExample"),
          s.describeFeed());
      assertScoresLikeTheReference(c, 300);
    }
  }

  @Test
  void stringInputNotParsedAsExamplesIsOneLine() throws Exception {
    Path dir = TestModel.linear().with(m -> m.stringServingDefault = true).export(tmp.resolve("strings"));
    assertContains(refused(dir, ClassifierOptions.DEFAULTS.withSignatureKey("serving_default")).getMessage(),
        "signature 'serving_default' cannot classify MNIST images", "input 'inputs' is DT_STRING, but the graph"
            + " neither parses it as tf.Example nor decodes it as an image", "it reaches Identity");
  }

  @Test
  void integerInputsTakeOnlyTheByteScale() throws Exception {
    Path dir = TestModel.linear().with(m -> {
      m.inputType = TUint8.class;
      m.rescaleInside = true;
    }).export(tmp.resolve("uint8"));
    try (InProcessClassifier c = InProcessClassifier.open(dir, ClassifierOptions.DEFAULTS.withCalibrationSamples(100))) {
      assertEquals(InputScale.BYTE, c.calibration().scale());
      assertContains(c.calibration().scaleReason(), "fed DT_UINT8 whole numbers, so only 0..255 pixels");
    }
    assertContains(refused(dir, ClassifierOptions.DEFAULTS.withInputScale(InputScale.UNIT)).getMessage(),
        "input scale unit [0,1] requested, but the model is fed DT_UINT8 whole numbers");
  }

  private static ExportContract contract(String signature, String input, String scale, String probabilities) {
    return new ExportContract(ExportContract.VERSION, signature, input, scale, probabilities, "classes",
        List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
        Map.of("test_accuracy", TestData.centroids().referenceAccuracy()), Map.of(), "test");
  }

  @Test
  void ourExportsContractReplacesCalibration() throws Exception {
    Path dir = TestModel.ours().export(tmp.resolve("ours"));
    contract("serving_default", "images", "unit", "probabilities").write(dir);
    try (InProcessClassifier c = InProcessClassifier.open(dir, ClassifierOptions.DEFAULTS)) {
      Calibration cal = c.calibration();
      assertEquals(0, cal.samples(), "no calibration");
      assertEquals(InputScale.UNIT, cal.scale());
      assertContains(cal.scaleReason(), "from the export's contract");
      assertEquals(OutputKind.PROBABILITIES, cal.outputKind());
      assertEquals("probabilities", c.signature().output().key());
      assertContains(String.join("|", c.description().notes()), "records from training: test_accuracy 0.8203");
      Evaluation e = SavedModelEvaluator.evaluate(c, TestData.test());
      assertEquals(TestData.centroids().referenceAccuracy(), e.accuracy(), 1e-4);
    }
    // Asking for another signature than the contract's: calibrated, saying why.
    Path two = TestModel.linear().with(m -> m.stringServingDefault = true).export(tmp.resolve("two"));
    contract("serving_default", "inputs", "unit", "classes").write(two);
    ClassifierOptions other = ClassifierOptions.DEFAULTS.withSignatureKey("predict_images").withCalibrationSamples(100);
    try (InProcessClassifier c = InProcessClassifier.open(two, other)) {
      assertEquals(100, c.calibration().samples());
      assertNull(c.model().contract());
    }
  }

  @Test
  void contractsThatContradictTheModelAreErrors() throws Exception {
    Path dir = TestModel.ours().export(tmp.resolve("ours"));
    Path file = dir.resolve(ExportContract.FILE);
    contract("serving_default", "pixels", "unit", "probabilities").write(dir);
    assertContains(refused(dir, ClassifierOptions.DEFAULTS).getMessage(), file.toString(),
        "the export's contract names input 'pixels' of signature 'serving_default', but its inputs are images");
    contract("predict", "images", "unit", "probabilities").write(dir);
    assertContains(refused(dir, ClassifierOptions.DEFAULTS).getMessage(),
        "names signature 'predict', but the model has only 'serving_default'");
    contract("serving_default", "images", "unit", "classes").write(dir);
    assertContains(refused(dir, ClassifierOptions.DEFAULTS).getMessage(),
        "says output 'classes' holds 10 probabilities per image, but it is DT_INT64 [-1]");
    contract("serving_default", "images", "percent", "probabilities").write(dir);
    assertContains(refused(dir, ClassifierOptions.DEFAULTS).getMessage(), "input scale 'percent'");
    java.nio.file.Files.writeString(file, "{\"version\": 1,");
    assertContains(refused(dir, ClassifierOptions.DEFAULTS).getMessage(), file.toString(),
        "not a valid export contract");
  }
}
