package io.mnisttf.savedmodel.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.mnisttf.savedmodel.ClassifierOptions;
import io.mnisttf.testing.TestData;
import io.mnisttf.testing.TestModel;

/** A model whose output ignores the image, or that always says the same digit, is scored with a note. */
class DegenerateOutputsTest {
  @TempDir Path tmp;

  private static List<String> notes(Path dir) throws Exception {
    try (InProcessClassifier c = InProcessClassifier.open(dir, ClassifierOptions.DEFAULTS.withCalibrationSamples(200),
        TestData.train())) {
      return c.description().notes();
    }
  }

  @Test
  void outputIndependentOfTheInput() throws Exception {
    List<String> notes = notes(TestModel.linear().with(m -> m.constantOutput = true).export(tmp.resolve("c")));
    assertEquals(1, notes.size(), notes::toString);
    assertTrue(notes.get(0).startsWith("the model's output does not depend on its input: all 200 calibration"
        + " images give the same 10 values"), notes::toString);
  }

  @Test
  void sameClassForEveryImage() throws Exception {
    List<String> notes = notes(TestModel.linear().with(m -> {
      m.alwaysClass0 = true;
      m.logits = true;
    }).export(tmp.resolve("zero")));
    assertEquals(List.of("the model predicts class 0 for every one of the 200 calibration images, so it is not a"
        + " digit classifier"), notes);
  }

  @Test
  void aRealClassifierHasNoNote() throws Exception {
    assertEquals(List.of(), notes(TestModel.linear().export(tmp.resolve("ok"))));
  }
}
