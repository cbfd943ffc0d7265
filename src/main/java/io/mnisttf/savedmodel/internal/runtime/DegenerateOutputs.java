package io.mnisttf.savedmodel.internal.runtime;

import java.util.List;
import java.util.Locale;

/**
 * Calls out a model that cannot be a digit classifier, from its outputs on the calibration sample (training
 * images at the scale calibration chose): outputs that do not depend on the input (every image gives the same
 * 10 values), or the same class for every image. The model is still scored; the note says why its score means
 * little.
 */
public final class DegenerateOutputs {
  /** Largest difference between two rows that still counts as the same output. */
  public static final float SAME = 1e-6f;

  private DegenerateOutputs() {}

  /**
   * The notes for a model's raw outputs on the {@code n} calibration images ({@code n * 10} values, at the scale
   * calibration chose); empty for a model that looks like a classifier.
   */
  public static List<String> notes(float[] raw, int n) {
    if (n < 2) {
      return List.of();
    }
    boolean identical = true;
    for (int i = ClassScores.CLASSES; identical && i < n * ClassScores.CLASSES; i++) {
      identical = Math.abs(raw[i] - raw[i % ClassScores.CLASSES]) <= SAME;
    }
    if (identical) {
      return List.of(String.format(Locale.ROOT, "the model's output does not depend on its input: all %d"
          + " calibration images give the same 10 values (class %d), so it is not a digit classifier", n,
          ClassScores.argmax(raw, 0)));
    }
    int first = ClassScores.argmax(raw, 0);
    for (int r = 1; r < n; r++) {
      if (ClassScores.argmax(raw, r) != first) {
        return List.of();
      }
    }
    return List.of(String.format(Locale.ROOT, "the model predicts class %d for every one of the %d calibration"
        + " images, so it is not a digit classifier", first, n));
  }
}
