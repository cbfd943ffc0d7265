package io.mnisttf.savedmodel.internal.runtime;

import java.util.Locale;
import io.mnisttf.savedmodel.internal.signature.SignatureSelector;
import io.mnisttf.savedmodel.OutputKind;

/**
 * Turns a model's raw 10-value rows into probabilities and log-probabilities, and tells probabilities from
 * logits.
 *
 * <p>Probabilities are clipped to {@code [1e-7, 1 - 1e-7]} before the logarithm, as Keras' cross-entropy
 * does (so a confidently wrong softmax model costs at most {@code -ln(1e-7) = 16.1} per example); logits
 * go through an exact log-softmax, computed in double precision.
 */
public final class ClassScores {
  public static final int CLASSES = SignatureSelector.CLASSES;
  /** Keras' {@code backend.epsilon()}. */
  public static final double EPSILON = 1e-7;

  private ClassScores() {}

  /**
   * Converts {@code rows} raw rows.
   *
   * @param probabilities receives {@code rows * 10} probabilities
   * @param logProbabilities receives {@code rows * 10} log-probabilities, or {@code null} when not needed
   */
  public static void convert(OutputKind kind, float[] raw, int rows, float[] probabilities, float[] logProbabilities) {
    for (int r = 0; r < rows; r++) {
      int base = r * CLASSES;
      if (kind == OutputKind.PROBABILITIES) {
        for (int c = 0; c < CLASSES; c++) {
          float p = raw[base + c];
          probabilities[base + c] = p;
          if (logProbabilities != null) {
            logProbabilities[base + c] = (float) Math.log(Math.min(1 - EPSILON, Math.max(EPSILON, p)));
          }
        }
      } else {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CLASSES; c++) {
          max = Math.max(max, raw[base + c]);
        }
        double sum = 0;
        for (int c = 0; c < CLASSES; c++) {
          sum += Math.exp(raw[base + c] - max);
        }
        double logSum = max + Math.log(sum);
        for (int c = 0; c < CLASSES; c++) {
          double logP = raw[base + c] - logSum;
          probabilities[base + c] = (float) Math.exp(logP);
          if (logProbabilities != null) {
            logProbabilities[base + c] = (float) logP;
          }
        }
      }
    }
  }

  /** The index of the largest of the 10 values of row {@code r} (the first one on ties). */
  public static int argmax(float[] values, int r) {
    int base = r * CLASSES;
    int best = 0;
    for (int c = 1; c < CLASSES; c++) {
      if (values[base + c] > values[base + best]) {
        best = c;
      }
    }
    return best;
  }

  /** True when every value of the first {@code rows} rows is finite. */
  public static boolean allFinite(float[] raw, int rows) {
    for (int i = 0; i < rows * CLASSES; i++) {
      if (!Float.isFinite(raw[i])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Why the rows are not probabilities, or {@code null} when they are: all values at least
   * {@code -tolerance} and every row summing to 1 within {@code tolerance}.
   */
  public static String notProbabilities(float[] raw, int rows, double tolerance) {
    for (int r = 0; r < rows; r++) {
      double sum = 0;
      for (int c = 0; c < CLASSES; c++) {
        float v = raw[r * CLASSES + c];
        if (v < -tolerance) {
          return String.format(Locale.ROOT, "row %d holds the negative value %.4g", r, v);
        }
        sum += v;
      }
      if (Math.abs(sum - 1) > tolerance) {
        return String.format(Locale.ROOT, "row %d sums to %.4g", r, sum);
      }
    }
    return null;
  }
}
