package io.mnisttf.savedmodel;

import io.mnisttf.data.MnistData;
import io.mnisttf.savedmodel.internal.runtime.ClassScores;

/**
 * Scores a {@link Classifier} on a labelled MNIST set: loss, accuracy, confusion matrix, and every
 * example's prediction and confidence. Images go through the model in batches of the classifier's batch
 * size, with buffers reused from batch to batch.
 */
public final class SavedModelEvaluator {
  private SavedModelEvaluator() {}

  /** Evaluates {@code classifier} on all of {@code data}. */
  public static Evaluation evaluate(Classifier classifier, MnistData data) throws SavedModelException {
    int n = data.size();
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
        data.copyScaled(from + k, pixels, k * MnistData.PIXELS);
      }
      classifier.classify(pixels, count, probabilities, logProbabilities);
      for (int k = 0; k < count; k++) {
        int i = from + k;
        int label = data.label(i);
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
