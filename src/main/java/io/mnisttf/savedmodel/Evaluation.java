package io.mnisttf.savedmodel;

import io.mnisttf.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import io.mnisttf.savedmodel.internal.runtime.ClassScores;

/**
 * A classifier's scores on a labelled data set, with each example's prediction kept for later plots (the
 * most confidently misclassified digits, a confusion-matrix heatmap).
 *
 * @param examples number of examples evaluated
 * @param loss mean cross-entropy (natural log) of the true class
 * @param accuracy share of examples whose most probable class is the label
 * @param confusion {@code confusion[label][predicted]} counts, 10x10
 * @param labels each example's true class
 * @param predicted each example's most probable class
 * @param probabilities each example's 10 class probabilities, row after row ({@code examples * 10} values)
 * @param seconds time to classify all examples (model already loaded and calibrated)
 * @param batchSize images per model call
 */
public record Evaluation(int examples, double loss, double accuracy, int[][] confusion, int[] labels,
    int[] predicted, float[] probabilities, double seconds, int batchSize) {
  /** Header of {@link #writePredictionsCsv}. */
  public static final String CSV_HEADER = "index,label,predicted,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9";

  /** Each example's probability of its predicted class. */
  public float[] confidence() {
    float[] confidence = new float[examples];
    for (int i = 0; i < examples; i++) {
      confidence[i] = probabilities[i * ClassScores.CLASSES + predicted[i]];
    }
    return confidence;
  }

  /** Number of examples whose prediction is wrong. */
  public int errors() {
    int errors = 0;
    for (int i = 0; i < examples; i++) {
      if (predicted[i] != labels[i]) {
        errors++;
      }
    }
    return errors;
  }

  /** Images classified per second. */
  public double imagesPerSecond() {
    return seconds > 0 ? examples / seconds : Double.POSITIVE_INFINITY;
  }

  /**
   * Writes every example's prediction as CSV ({@link #CSV_HEADER}: the example's index in the data set, its
   * label, the predicted class and the 10 probabilities, each float32 written in the shortest form that reads
   * back to the same float), atomically: for comparing models example by example, in Python or a spreadsheet.
   */
  public void writePredictionsCsv(Path file) throws IOException {
    StringBuilder csv = new StringBuilder(examples * 128).append(CSV_HEADER).append('\n');
    for (int i = 0; i < examples; i++) {
      csv.append(i).append(',').append(labels[i]).append(',').append(predicted[i]);
      for (int c = 0; c < ClassScores.CLASSES; c++) {
        csv.append(',').append(probabilities[i * ClassScores.CLASSES + c]);
      }
      csv.append('\n');
    }
    AtomicFiles.writeString(file, csv.toString());
  }
}
