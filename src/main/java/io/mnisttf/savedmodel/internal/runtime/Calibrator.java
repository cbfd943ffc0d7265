package io.mnisttf.savedmodel.internal.runtime;

import io.mnisttf.data.MnistData;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.proto.DataType;
import io.mnisttf.savedmodel.Calibration;
import io.mnisttf.savedmodel.InputScale;
import io.mnisttf.savedmodel.ModelSignature;
import io.mnisttf.savedmodel.OutputKind;
import io.mnisttf.savedmodel.SavedModelException;

/**
 * Decides, from a sample of training images (never test images), the pixel range a model expects and
 * whether its output holds probabilities or logits.
 *
 * <p>Output kind: probabilities when, at every scale tried, all values are non-negative and every row
 * sums to 1 within 0.001 (0.01 for float16 outputs); logits otherwise. Scale ({@link InputScale#AUTO}):
 * the sample is classified with [0,1] and with 0..255 pixels and the scale with the lower mean
 * cross-entropy wins (a model fed whole numbers, uint8, int32 or int64, can only take 0..255). Loss separates the two far better than accuracy: a model fed pixels 255 times too
 * large becomes wildly over-confident, one fed pixels 255 times too small nearly uniform.
 */
public final class Calibrator {
  public static final double TOLERANCE = 1e-3;
  public static final double TOLERANCE_FLOAT16 = 1e-2;

  private Calibrator() {}

  /** {@code n} images spread evenly over {@code data} (all of them when it holds at most {@code n}). */
  public static MnistData sample(MnistData data, int n) {
    if (n >= data.size()) {
      return data;
    }
    int[] indices = new int[n];
    for (int i = 0; i < n; i++) {
      indices[i] = (int) ((long) i * data.size() / n);
    }
    return data.subset(indices);
  }

  /**
   * What calibration decided, and the model's raw outputs on the sample at the chosen scale ({@code
   * sample.size() * 10} values), for checks that look at them ({@link DegenerateOutputs}).
   */
  public record Result(Calibration calibration, float[] outputs) {}

  /** Calibrates {@code runner} on {@code sample} (training images). */
  public static Result calibrate(ModelCall runner, MnistData sample, InputScale requested, Path dir)
      throws SavedModelException {
    long start = System.nanoTime();
    int n = sample.size();
    if (n == 0) {
      throw new IllegalArgumentException("the calibration sample is empty");
    }
    float[] pixels = new float[n * MnistData.PIXELS];
    for (int i = 0; i < n; i++) {
      sample.copyScaled(i, pixels, i * MnistData.PIXELS);
    }
    ModelSignature signature = runner.signature();
    boolean integer = signature.integerFeed();
    if (integer && requested == InputScale.UNIT) {
      throw new SavedModelException(dir, SavedModelException.Kind.NOT_A_CLASSIFIER, "input scale unit [0,1] requested, but the model is fed "
          + signature.wholeNumbers() + ", which only the byte scale 0..255 fills");
    }
    List<InputScale> scales = integer ? List.of(InputScale.BYTE)
        : requested == InputScale.AUTO ? List.of(InputScale.UNIT, InputScale.BYTE) : List.of(requested);
    Map<InputScale, float[]> outputs = new LinkedHashMap<>();
    for (InputScale scale : scales) {
      float[] raw = new float[n * ClassScores.CLASSES];
      runner.run(pixels, n, scale.multiplier(), raw);
      outputs.put(scale, raw);
    }
    Map<InputScale, float[]> finite = new LinkedHashMap<>();
    outputs.forEach((scale, raw) -> {
      if (ClassScores.allFinite(raw, n)) {
        finite.put(scale, raw);
      }
    });
    if (finite.isEmpty()) {
      throw new SavedModelException(dir, SavedModelException.Kind.TENSORFLOW_FAILED, "the model outputs NaN or infinity for training images at "
          + (scales.size() == 1 ? scales.get(0).range() + " scale" : "both [0,1] and 0..255 scales"));
    }

    double tolerance = runner.signature().output().dtype() == DataType.DT_HALF ? TOLERANCE_FLOAT16 : TOLERANCE;
    OutputKind kind = OutputKind.PROBABILITIES;
    String kindReason = String.format(Locale.ROOT,
        "rows non-negative and summing to 1 within %s on %d training images", tolerance, n);
    for (Map.Entry<InputScale, float[]> e : finite.entrySet()) {
      String why = ClassScores.notProbabilities(e.getValue(), n, tolerance);
      if (why != null) {
        kind = OutputKind.LOGITS;
        kindReason = why + " (" + e.getKey().range() + " pixels), so not probabilities";
        break;
      }
    }

    Map<InputScale, double[]> scores = new LinkedHashMap<>();
    for (Map.Entry<InputScale, float[]> e : finite.entrySet()) {
      scores.put(e.getKey(), lossAndAccuracy(kind, e.getValue(), sample));
    }
    InputScale chosen = scores.entrySet().stream()
        .min((a, b) -> Double.compare(a.getValue()[0], b.getValue()[0]))
        .orElseThrow().getKey();
    double[] best = scores.get(chosen);
    String scaleReason;
    if (integer) {
      scaleReason = String.format(Locale.ROOT, "fed %s, so only 0..255 pixels make sense"
          + " (loss %.4f, accuracy %.4f on %d training images)", signature.wholeNumbers(), best[0], best[1], n);
    } else if (requested != InputScale.AUTO) {
      scaleReason = String.format(Locale.ROOT, "requested (loss %.4f, accuracy %.4f on %d training images)",
          best[0], best[1], n);
    } else if (scores.size() == 1) {
      InputScale other = chosen == InputScale.UNIT ? InputScale.BYTE : InputScale.UNIT;
      scaleReason = String.format(Locale.ROOT,
          "%s pixels: loss %.4f, accuracy %.4f on %d training images; %s pixels give NaN or infinity",
          chosen.range(), best[0], best[1], n, other.range());
    } else {
      InputScale other = chosen == InputScale.UNIT ? InputScale.BYTE : InputScale.UNIT;
      double[] worse = scores.get(other);
      scaleReason = String.format(Locale.ROOT,
          "%s pixels: loss %.4f, accuracy %.4f on %d training images, against loss %.4f, accuracy %.4f with %s",
          chosen.range(), best[0], best[1], n, worse[0], worse[1], other.range());
    }
    return new Result(new Calibration(chosen, scaleReason, kind, kindReason, n, best[1],
        (System.nanoTime() - start) / 1e9),
        finite.get(chosen));
  }

  /** Mean cross-entropy and accuracy of raw outputs on the sample's labels. */
  public static double[] lossAndAccuracy(OutputKind kind, float[] raw, MnistData sample) {
    int n = sample.size();
    float[] probabilities = new float[n * ClassScores.CLASSES];
    float[] logProbabilities = new float[n * ClassScores.CLASSES];
    ClassScores.convert(kind, raw, n, probabilities, logProbabilities);
    double loss = 0;
    int correct = 0;
    for (int i = 0; i < n; i++) {
      int label = sample.label(i);
      loss -= logProbabilities[i * ClassScores.CLASSES + label];
      if (ClassScores.argmax(probabilities, i) == label) {
        correct++;
      }
    }
    return new double[] {loss / n, (double) correct / n};
  }
}
