package io.mnisttf.savedmodel;

import io.mnisttf.data.MnistData;
import io.mnisttf.predict.DigitImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A SavedModel (ours or a stranger's) used as an MNIST digit classifier: give it images, get the probability of
 * each digit, whatever the model's input layout, size, type, pixel range, output kind or signature style. Open one
 * with {@link Classifiers#open}, which runs the model in a worker process unless asked otherwise.
 *
 * <p>Thread-safe: one classifier may be shared by many threads (a web service's request threads, say), each call
 * getting exactly the answers it would get alone. A classifier in this process runs concurrent calls at once on
 * one TensorFlow session; one in a worker process runs them one after another. Close it when done (closing twice
 * is harmless); calls under way are finished first.
 */
public interface Classifier extends AutoCloseable {
  /** What was opened and how it is called: the model, its signature, the scale, notes. */
  ClassifierDescription description();

  /** Images per model call (a model with a fixed batch dimension uses its own). */
  int batchSize();

  /**
   * Classifies {@code count} images.
   *
   * @param pixels {@code count * 784} pixels in [0,1], image after image, each 28x28 row-major, light digit on
   *     dark (MNIST's convention; {@link DigitImage} converts other images)
   * @param probabilities receives {@code count * 10} probabilities, image after image
   * @param logProbabilities receives {@code count * 10} natural-log probabilities (exact log-softmax for a logits
   *     model, log of the clipped probability for a probabilities model), or {@code null}
   * @throws SavedModelException when the model fails to run, with one line naming the model
   */
  void classify(float[] pixels, int count, float[] probabilities, float[] logProbabilities)
      throws SavedModelException;

  /** The probabilities of {@code count} images ({@code count * 10} values); see {@link #classify}. */
  default float[] probabilities(float[] pixels, int count) throws SavedModelException {
    float[] probabilities = new float[count * MnistData.CLASSES];
    classify(pixels, count, probabilities, null);
    return probabilities;
  }

  /** Classifies one image already in MNIST's form. */
  default Classification classify(DigitImage image) throws SavedModelException {
    return classifyAll(List.of(image)).get(0);
  }

  /** Reads an image file (PNG, JPEG, ...; any size and polarity), converts it as MNIST's digits were, classifies it. */
  default Classification classify(Path imageFile) throws IOException {
    return classify(DigitImage.load(imageFile));
  }

  /** Classifies images in batches, in order. */
  default List<Classification> classifyAll(List<DigitImage> images) throws SavedModelException {
    float[] pixels = new float[images.size() * MnistData.PIXELS];
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(images.get(i).pixels(), 0, pixels, i * MnistData.PIXELS, MnistData.PIXELS);
    }
    float[] all = probabilities(pixels, images.size());
    List<Classification> result = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      result.add(new Classification(java.util.Arrays.copyOfRange(all, i * MnistData.CLASSES,
          (i + 1) * MnistData.CLASSES)));
    }
    return result;
  }

  /** Releases the model (and its worker process); later calls fail, a second close does nothing. */
  @Override
  void close();
}
