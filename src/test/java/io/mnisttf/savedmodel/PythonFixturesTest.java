package io.mnisttf.savedmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.mnisttf.savedmodel.internal.runtime.InProcessClassifier;
import io.mnisttf.testing.TestData;

/**
 * The Python-trained SavedModels (Keras 2 and Keras 3 exports, TF 2.0 to 2.18; see {@link Fixtures}):
 * discovered and scored with automatic scale (calibrated on the sample bundled in the jar), each within 0.002 of
 * the accuracy its README states. The two
 * committed ones always run; the others run when ../shared is beside the clone, and are skipped otherwise.
 */
class PythonFixturesTest {
  private static final Pattern STATED = Pattern.compile("MNIST t10k accuracy measured[^\\n]*?\\)\\**:\\s*([01]\\.[0-9]+)");

  /** The accuracy the fixture's README states for [0,1] pixels. */
  static double statedAccuracy(Path fixture) throws Exception {
    Matcher m = STATED.matcher(Files.readString(fixture.resolve("README.md")));
    assertTrue(m.find(), "no stated accuracy in " + fixture.resolve("README.md"));
    return Double.parseDouble(m.group(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"keras2-flatten-dense10-tf24", "keras2-mlp-200-60-tf212",
      "keras2-quickstart-softmax-tf20", "keras3-export-mlp-tf218"})
  void evaluatesWithinTheStatedAccuracy(String name) throws Exception {
    Path fixture = Fixtures.pythonModel(name);
    double stated = statedAccuracy(fixture);
    assertTrue(stated > 0.9, "parsed " + stated);
    try (InProcessClassifier c = InProcessClassifier.open(fixture, ClassifierOptions.DEFAULTS)) {
      Evaluation e = SavedModelEvaluator.evaluate(c, TestData.test());
      System.out.printf("%s: %s, scale %s (%s), output %s, accuracy %.4f (stated %.4f), loss %.4f, %.3fs%n", name,
          c.signature().describe(), c.calibration().scale().label(), c.calibration().scaleReason(),
          c.calibration().outputKind().label(), e.accuracy(), stated, e.loss(), e.seconds());
      assertEquals(InputScale.UNIT, c.calibration().scale(), c.calibration().scaleReason());
      assertEquals(OutputKind.PROBABILITIES, c.calibration().outputKind());
      assertEquals(InputLayout.IMAGE, c.signature().layout());
      assertEquals("serving_default", c.signature().key());
      assertEquals(stated, e.accuracy(), 0.002);
      assertTrue(c.model().scan().safe() && c.model().scan().allKnown(), c.model().scan().verdict());
    }
  }

  /** The TF 2.0 Keras CNN: a [-1,28,28,1] input and a logits output (no softmax layer). */
  @Test
  void logitsCnnWithinTheStatedAccuracy() throws Exception {
    Path fixture = Fixtures.pythonModel("keras2-cnn-logits-tf20");
    double stated = statedAccuracy(fixture);
    try (InProcessClassifier c = InProcessClassifier.open(fixture, ClassifierOptions.DEFAULTS)) {
      Evaluation e = SavedModelEvaluator.evaluate(c, TestData.test());
      assertEquals(InputScale.UNIT, c.calibration().scale(), c.calibration().scaleReason());
      assertEquals(OutputKind.LOGITS, c.calibration().outputKind(), c.calibration().outputKindReason());
      assertEquals(InputLayout.IMAGE_CHANNELS_LAST, c.signature().layout());
      assertEquals(stated, e.accuracy(), 0.002);
      assertEquals(0.0441, e.loss(), 0.002, "the notebook's val_loss on the test set");
    }
  }
}
