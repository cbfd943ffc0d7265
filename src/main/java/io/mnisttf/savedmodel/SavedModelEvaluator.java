package io.mnisttf.savedmodel;

import io.mnisttf.data.MnistData;
import io.mnisttf.savedmodel.internal.runtime.ClassScores;
import java.util.function.IntUnaryOperator;

/**
 * Scores a {@link Classifier} on a labelled set (MNIST's or a user's images): loss, accuracy, confusion matrix, and every
 * example's prediction and confidence. Images go through the model in batches of the classifier's batch
 * size, with buffers reused from batch to batch.
 */
public final class SavedModelEvaluator {
  private SavedModelEvaluator() {}

  /** Evaluates {@code classifier} on all of {@code data}. */
  public static Evaluation evaluate(Classifier classifier, MnistData data) throws SavedModelException {
    return evaluate(classifier, data.size(), data::label, data::copyScaled);
  }

  /**
   * Evaluates {@code classifier} on images already in MNIST's form (a user's, converted by
   * {@code io.mnisttf.predict.DigitImage}).
   *
   * @param pixels {@code labels.length * 784} values in [0,1], image after image
   * @param labels each image's digit
   */
  public static Evaluation evaluate(Classifier classifier, float[] pixels, int[] labels)
      throws SavedModelException {
    if (pixels.length != labels.length * MnistData.PIXELS) {
      throw new IllegalArgumentException(pixels.length + " pixels for " + labels.length + " images");
    }
    for (int label : labels) {
      if (label < 0 || label >= ClassScores.CLASSES) {
        throw new IllegalArgumentException("label " + label + " is not a digit");
      }
    }
    return evaluate(classifier, labels.length, i -> labels[i],
        (i, dst, offset) -> System.arraycopy(pixels, i * MnistData.PIXELS, dst, offset, MnistData.PIXELS));
  }

  /** Copies image {@code i}'s 784 pixels in [0,1] into {@code dst} at {@code offset}. */
  private interface PixelSource {
    void copy(int i, float[] dst, int offset);
  }

  private static Evaluation evaluate(Classifier classifier, int n, IntUnaryOperator labelOf, PixelSource source)
      throws SavedModelException {
    if (n == 0) {
      throw new IllegalArgumentException("no examples to evaluate");
    }
    int batch = Math.min(classifier.batchSize(), n);
    int classes = ClassScores.CLASSES;
    float[] pixels = new float[batch * MnistData.PIXELS];
    float[] probabilities = new float[batch * classes];
    float[] logProbabilities = new float[batch * classes];
    int[][] confusion = new int[classes][classes];
    int[] labels = new int[n];
    int[] predicted = new int[n];
    float[] all = new float[n * classes];
    double loss = 0;
    int correct = 0;

    long start = System.nanoTime();
    for (int from = 0; from < n; from += batch) {
      int count = Math.min(batch, n - from);
      for (int k = 0; k < count; k++) {
        source.copy(from + k, pixels, k * MnistData.PIXELS);
      }
      classifier.classify(pixels, count, probabilities, logProbabilities);
      for (int k = 0; k < count; k++) {
        int i = from + k;
        int label = labelOf.applyAsInt(i);
        int guess = ClassScores.argmax(probabilities, k);
        labels[i] = label;
        predicted[i] = guess;
        System.arraycopy(probabilities, k * classes, all, i * classes, classes);
        confusion[label][guess]++;
        loss -= logProbabilities[k * classes + label];
        if (guess == label) {
          correct++;
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Evaluation(n, loss / n, (double) correct / n, confusion, labels, predicted, all, seconds,
        batch);
  }
}
