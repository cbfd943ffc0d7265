package io.mnisttf.savedmodel;

import io.mnisttf.savedmodel.internal.runtime.ClassScores;

/**
 * An MNIST digit classifier backed by a SavedModel: give it images with pixels in [0,1], get 10 float32
 * probabilities per image. {@link MnistClassifier} runs the model in this process; other implementations may
 * run it elsewhere (for example in a worker process, for models from strangers). Implementations are not
 * thread-safe; close them (closing twice is harmless).
 */
public interface DigitClassifier extends AutoCloseable {
  /** What was opened and how it is called: what {@code evaluate} and {@code predict} report. */
  ClassifierDescription description();

  /** Images per model call (a model with a fixed batch dimension uses its own). */
  int batchSize();

  /**
   * Classifies {@code count} images.
   *
   * @param pixels {@code count * 784} pixels in [0,1], image after image, each 28x28 row-major
   * @param probabilities receives {@code count * 10} probabilities (float32 whatever the model's output type)
   * @param logProbabilities receives {@code count * 10} natural-log probabilities (exact log-softmax for a
   *     logits model, log of the clipped probability for a probabilities model), or {@code null}
   * @throws SavedModelException when the model fails to run, with a one-line message naming the model
   */
  void classify(float[] pixels, int count, float[] probabilities, float[] logProbabilities)
      throws SavedModelException;

  /** Probabilities of {@code count} images ({@code count * 10} values); see {@link #classify}. */
  default float[] probabilities(float[] pixels, int count) throws SavedModelException {
    float[] probabilities = new float[count * ClassScores.CLASSES];
    classify(pixels, count, probabilities, null);
    return probabilities;
  }

  /** Releases the model; later calls do nothing. */
  @Override
  void close();
}
