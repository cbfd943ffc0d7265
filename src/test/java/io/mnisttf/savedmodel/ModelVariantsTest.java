package io.mnisttf.savedmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;
import io.mnisttf.savedmodel.internal.runtime.InProcessClassifier;
import io.mnisttf.testing.TestData;
import io.mnisttf.testing.TestModel;

/**
 * Every model variant users bring, built with TF Java around the same centroid classifier: each must be
 * discovered (signature, layout, scale, output kind) and reproduce the classifier's accuracy and loss
 * computed in plain Java.
 */
class ModelVariantsTest {
  @TempDir Path tmp;

  enum Variant {
    OURS(m -> m.mlp = true, "serving_default", InputLayout.IMAGE, InputScale.UNIT, OutputKind.PROBABILITIES),
    FLAT_784(m -> m.inputShape = new long[] {-1, 784}, "serving_default", InputLayout.FLAT, InputScale.UNIT,
        OutputKind.PROBABILITIES),
    CNN_CHANNELS_LAST(m -> {
      m.inputShape = new long[] {-1, 28, 28, 1};
      m.conv = true;
    }, "serving_default", InputLayout.IMAGE_CHANNELS_LAST, InputScale.UNIT, OutputKind.PROBABILITIES),
    CHANNELS_FIRST(m -> m.inputShape = new long[] {-1, 1, 28, 28}, "serving_default",
        InputLayout.IMAGE_CHANNELS_FIRST, InputScale.UNIT, OutputKind.PROBABILITIES),
    LOGITS(m -> m.logits = true, "serving_default", InputLayout.IMAGE, InputScale.UNIT, OutputKind.LOGITS),
    FLOAT16_OUTPUT(m -> m.float16Output = true, "serving_default", InputLayout.IMAGE, InputScale.UNIT,
        OutputKind.PROBABILITIES),
    FLOAT16_LOGITS_FLOAT64_INPUT(m -> {
      m.float16Output = true;
      m.logits = true;
      m.inputType = TFloat64.class;
    }, "serving_default", InputLayout.IMAGE, InputScale.UNIT, OutputKind.LOGITS),
    FLOAT16_INPUT(m -> m.inputType = TFloat16.class, "serving_default", InputLayout.IMAGE, InputScale.UNIT,
        OutputKind.PROBABILITIES),
    EXPECTS_0_255(m -> m.expectsBytes = true, "serving_default", InputLayout.IMAGE, InputScale.BYTE,
        OutputKind.PROBABILITIES),
    EXPECTS_0_255_LOGITS_FLAT(m -> {
      m.expectsBytes = true;
      m.logits = true;
      m.inputShape = new long[] {-1, 784};
    }, "serving_default", InputLayout.FLAT, InputScale.BYTE, OutputKind.LOGITS),
    STRING_SERVING_DEFAULT(m -> {
      m.stringServingDefault = true;
      m.inputShape = new long[] {-1, 784};
    }, "predict_images", InputLayout.FLAT, InputScale.UNIT, OutputKind.PROBABILITIES),
    FIXED_BATCH_64(m -> m.inputShape = new long[] {64, 784}, "serving_default", InputLayout.FLAT,
        InputScale.UNIT, OutputKind.PROBABILITIES),
    UINT8_RESCALE_INSIDE(m -> {
      m.inputType = TUint8.class;
      m.rescaleInside = true;
    }, "serving_default", InputLayout.IMAGE, InputScale.BYTE, OutputKind.PROBABILITIES),
    INT32_RESCALE_INSIDE_FLAT(m -> {
      m.inputType = TInt32.class;
      m.rescaleInside = true;
      m.inputShape = new long[] {-1, 784};
    }, "serving_default", InputLayout.FLAT, InputScale.BYTE, OutputKind.PROBABILITIES),
    INT64_BYTE_WEIGHTS_LOGITS(m -> {
      m.inputType = TInt64.class;
      m.expectsBytes = true;
      m.logits = true;
    }, "serving_default", InputLayout.IMAGE, InputScale.BYTE, OutputKind.LOGITS),
    FLOAT64_BYTES(m -> {
      m.inputType = TFloat64.class;
      m.rescaleInside = true;
    }, "serving_default", InputLayout.IMAGE, InputScale.BYTE, OutputKind.PROBABILITIES),
    LENET_PADDED_32_CHANNELS_LAST(m -> {
      m.inputShape = new long[] {-1, 32, 32, 1};
      m.conv = true;
    }, "serving_default", InputLayout.PADDED_CHANNELS_LAST, InputScale.UNIT, OutputKind.PROBABILITIES),
    PADDED_32(m -> m.inputShape = new long[] {-1, 32, 32}, "serving_default", InputLayout.PADDED_IMAGE,
        InputScale.UNIT, OutputKind.PROBABILITIES),
    PADDED_1024_UINT8(m -> {
      m.inputShape = new long[] {-1, 1024};
      m.inputType = TUint8.class;
      m.rescaleInside = true;
    }, "serving_default", InputLayout.PADDED_FLAT, InputScale.BYTE, OutputKind.PROBABILITIES),
    PADDED_CHANNELS_FIRST(m -> m.inputShape = new long[] {-1, 1, 32, 32}, "serving_default",
        InputLayout.PADDED_CHANNELS_FIRST, InputScale.UNIT, OutputKind.PROBABILITIES),
    TF_EXAMPLE_V2_FLOAT_784(m -> {
      m.exampleParser = "ParseExampleV2";
      m.inputShape = new long[] {-1, 784};
    }, "serving_default", InputLayout.FLAT, InputScale.UNIT, OutputKind.PROBABILITIES),
    TF_EXAMPLE_V2_INT64_28X28_LOGITS(m -> {
      m.exampleParser = "ParseExampleV2";
      m.exampleKey = "image";
      m.exampleInt64 = true;
      m.logits = true;
    }, "serving_default", InputLayout.IMAGE, InputScale.BYTE, OutputKind.LOGITS),
    TF_EXAMPLE_V2_PADDED_BYTES(m -> {
      m.exampleParser = "ParseExampleV2";
      m.inputShape = new long[] {-1, 32, 32, 1};
      m.expectsBytes = true;
    }, "serving_default", InputLayout.PADDED_CHANNELS_LAST, InputScale.BYTE, OutputKind.PROBABILITIES),
    TF_EXAMPLE_V2_IN_A_FUNCTION(m -> {
      m.exampleParser = "ParseExampleV2";
      m.exampleInFunction = true;
      m.inputShape = new long[] {-1, 28, 28, 1};
      m.conv = true;
    }, "serving_default", InputLayout.IMAGE_CHANNELS_LAST, InputScale.UNIT, OutputKind.PROBABILITIES),
    OTHER_KEYS(m -> {
      m.signatureKey = "classify_digits";
      m.inputKey = "x";
    }, "classify_digits", InputLayout.IMAGE, InputScale.UNIT, OutputKind.PROBABILITIES);

    final Consumer<TestModel> change;
    final String signature;
    final InputLayout layout;
    final InputScale scale;
    final OutputKind kind;

    Variant(Consumer<TestModel> change, String signature, InputLayout layout, InputScale scale, OutputKind kind) {
      this.change = change;
      this.signature = signature;
      this.layout = layout;
      this.scale = scale;
      this.kind = kind;
    }
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void discoversTheVariantAndReproducesTheReferenceScores(Variant variant) throws Exception {
    Path dir = TestModel.linear().with(variant.change).export(tmp.resolve("model"));
    TestData.Centroids reference = TestData.centroids();
    try (InProcessClassifier classifier = InProcessClassifier.open(dir, ClassifierOptions.DEFAULTS, TestData.train())) {
      assertEquals(variant.signature, classifier.signature().key());
      assertEquals(variant.layout, classifier.signature().layout());
      assertEquals(variant.scale, classifier.calibration().scale(), classifier.calibration().scaleReason());
      assertEquals(variant.kind, classifier.calibration().outputKind(), classifier.calibration().outputKindReason());
      if (variant == Variant.TF_EXAMPLE_V2_IN_A_FUNCTION) {
        String parseNode = classifier.signature().example().parseNode();
        assertTrue(parseNode.matches("[^/]+/[^/]+"), "traced into a library function: " + parseNode);
      }
      Evaluation e = SavedModelEvaluator.evaluate(classifier, TestData.test());
      System.out.printf("%s: accuracy %.4f loss %.4f (reference %.4f, %.4f), %.3fs for %d images, fed as %s%n",
          variant, e.accuracy(), e.loss(), reference.referenceAccuracy(), reference.referenceLoss(), e.seconds(),
          e.examples(), classifier.signature().describeFeed());
      boolean half = classifier.signature().output().dtype() == DataType.DT_HALF
          || classifier.signature().input().dtype() == DataType.DT_HALF;
      assertEquals(10_000, e.examples());
      assertEquals(reference.referenceAccuracy(), e.accuracy(), half ? 0.002 : 0.0005);
      assertEquals(reference.referenceLoss(), e.loss(), half ? 0.01 : 0.001);
      assertTrue(reference.referenceAccuracy() > 0.8, "the centroid classifier is a real classifier");
    }
  }
}
