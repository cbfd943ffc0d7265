package io.mnisttf.savedmodel;

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
 * @param confidence each example's probability of its predicted class
 * @param seconds time to classify all examples (model already loaded and calibrated)
 * @param batchSize images per model call
 */
public record Evaluation(int examples, double loss, double accuracy, int[][] confusion, int[] labels,
    int[] predicted, float[] confidence, double seconds, int batchSize) {

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
}
