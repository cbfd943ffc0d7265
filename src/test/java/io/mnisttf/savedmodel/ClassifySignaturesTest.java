package io.mnisttf.savedmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.data.MnistData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.mnisttf.savedmodel.internal.runtime.InProcessClassifier;
import io.mnisttf.testing.TestData;
import io.mnisttf.testing.TestModel;

/**
 * Classify signatures read as what they are, and choices that calibrate at chance while another signature does
 * not: TF Serving's MNIST example has a {@code serving_default} classify signature whose {@code scores} come
 * sorted (top-k), each labelled by {@code classes}, beside a {@code predict_images} signature with the
 * probabilities in class order. Read as per-class probabilities, the sorted scores make class 0 win for every image.
 */
class ClassifySignaturesTest {
  private static final int IMAGES = 2000;
  @TempDir Path tmp;

  private static double accuracy(InProcessClassifier c) throws SavedModelException {
    return SavedModelEvaluator.evaluate(c, TestData.test().first(IMAGES)).accuracy();
  }

  private static double reference() {
    return TestData.referenceAccuracy(TestData.test().first(IMAGES));
  }

  private static ClassifierOptions options() {
    return ClassifierOptions.DEFAULTS.withCalibrationData(null);
  }

  @Test
  void thePredictSignatureIsPreferredAndTheChoiceExplained() throws Exception {
    Path dir = TestModel.linear().with(m -> m.classifyServingDefault = true).export(tmp.resolve("tf-serving"));
    try (InProcessClassifier c = InProcessClassifier.open(dir, options())) {
      assertEquals("predict_images", c.signature().key());
      assertEquals(reference(), accuracy(c), 0.002);
      assertTrue(c.description().notes().contains("signature 'serving_default' gives its scores sorted, each labelled"
          + " by output 'classes'; signature 'predict_images' gives the 10 class scores in class order, so it is used"),
          c.description().notes().toString());
    }
  }

  @Test
  void theClassifySignaturesScoresArePutInClassOrderByTheirLabels() throws Exception {
    Path dir = TestModel.linear().with(m -> m.classifyServingDefault = true).export(tmp.resolve("tf-serving"));
    try (InProcessClassifier classify = InProcessClassifier.open(dir, options().withSignatureKey("serving_default"));
        InProcessClassifier predict = InProcessClassifier.open(dir, options().withSignatureKey("predict_images"))) {
      assertEquals("classes", classify.signature().classLabels().key());
      MnistData test = TestData.test().first(200);
      float[] pixels = new float[test.size() * MnistData.PIXELS];
      for (int i = 0; i < test.size(); i++) {
        test.copyScaled(i, pixels, i * MnistData.PIXELS);
      }
      float[] a = classify.probabilities(pixels, test.size());
      float[] b = predict.probabilities(pixels, test.size());
      for (int i = 0; i < a.length; i++) {
        assertEquals(b[i], a[i], 1e-6f, "value " + i);
      }
      assertEquals(reference(), accuracy(classify), 0.002);
    }
  }

  @Test
  void labelsThatAreNotTheTenDigitsAreOneLine() throws Exception {
    Path dir = TestModel.linear().with(m -> {
      m.classifyServingDefault = true;
      m.classLabels = new String[] {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
    }).export(tmp.resolve("named"));
    var e = assertThrows(SavedModelException.class,
        () -> InProcessClassifier.open(dir, options().withSignatureKey("serving_default")).close());
    assertFalse(e.getMessage().contains("\n"));
    assertTrue(e.getMessage().matches(".*: output 'classes' of signature 'serving_default' labels a score '[a-z]+' in"
        + " row 0; the digits 0 to 9, once each, expected"), e.getMessage());
  }

  /** Sorted scores with no labels beside them cannot be read; the signature that can is used instead. */
  @Test
  void aChoiceAtChanceGivesWayToASignatureThatClassifies() throws Exception {
    Path dir = TestModel.linear().with(m -> {
      m.classifyServingDefault = true;
      m.unlabelledSortedScores = true;
    }).export(tmp.resolve("sorted"));
    try (InProcessClassifier c = InProcessClassifier.open(dir, options())) {
      assertEquals("predict_images", c.signature().key());
      assertEquals(reference(), accuracy(c), 0.002);
      String notes = String.join("|", c.description().notes());
      assertTrue(notes.matches(".*signature 'serving_default' classifies 1000 training images at chance \\(accuracy"
          + " 0\\.[01][0-9]+\\), so its outputs are not digit scores; signature 'predict_images' is used instead"
          + " \\(accuracy 0\\.[6-9][0-9]+\\).*"), notes);
    }
  }

  @Test
  void aRequestedSignatureAtChanceIsRefusedWhenAnotherClassifies() throws Exception {
    Path dir = TestModel.linear().with(m -> {
      m.classifyServingDefault = true;
      m.unlabelledSortedScores = true;
    }).export(tmp.resolve("sorted"));
    var e = assertThrows(SavedModelException.class,
        () -> InProcessClassifier.open(dir, options().withSignatureKey("serving_default")).close());
    assertFalse(e.getMessage().contains("\n"));
    assertTrue(e.getMessage().matches(".*: signature 'serving_default' classifies 1000 training images at chance"
        + " \\(accuracy 0\\.[01][0-9]+\\), while signature 'predict_images' reaches accuracy 0\\.[6-9][0-9]+ on them:"
        + " the outputs of the signature asked for cannot be read as digit scores"), e.getMessage());
  }
}
