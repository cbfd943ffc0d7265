package io.mnisttf.cli;

import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import io.mnisttf.predict.LabelledDigits;
import io.mnisttf.savedmodel.Classifier;
import io.mnisttf.savedmodel.Evaluation;
import io.mnisttf.savedmodel.SavedModelEvaluator;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What {@code evaluate} scores: MNIST's test set, or the user's labelled images ({@code --images}), read and
 * converted as {@code predict} converts images.
 *
 * @param name how the result line names the set ("Test" or "Images")
 * @param mnist the test set, or {@code null}
 * @param digits the user's images, or {@code null}
 */
record EvaluationSet(String name, MnistData mnist, LabelledDigits digits) {
  /** MNIST's test files in {@code data}. */
  static EvaluationSet test(Path data) throws IOException {
    return new EvaluationSet("Test", Mnist.loadTest(data), null);
  }

  /** The labelled images under {@code folder} ({@code folder/0/*.png} ... {@code folder/9/*.png}). */
  static EvaluationSet images(Path folder) throws IOException {
    return new EvaluationSet("Images", null, LabelledDigits.load(folder));
  }

  /** What the images are, for the log line ("test images", "images from DIR"). */
  String description() {
    return mnist != null ? "test images" : "images from " + digits.folder();
  }

  Evaluation evaluate(Classifier classifier) throws IOException {
    return mnist != null ? SavedModelEvaluator.evaluate(classifier, mnist)
        : SavedModelEvaluator.evaluate(classifier, digits.pixels(), digits.labels());
  }

  /** The images as 8-bit MNIST data, for the grid of mistakes (rounded: the grid shows 256 grey levels anyway). */
  MnistData asMnist() {
    if (mnist != null) {
      return mnist;
    }
    float[] pixels = digits.pixels();
    byte[] bytes = new byte[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      bytes[i] = (byte) Math.round(pixels[i] * 255);
    }
    int[] labels = digits.labels();
    byte[] labelBytes = new byte[labels.length];
    for (int i = 0; i < labels.length; i++) {
      labelBytes[i] = (byte) labels[i];
    }
    return new MnistData(bytes, labelBytes);
  }

  /** The file of image {@code i}, or {@code null} for the test set. */
  Path file(int i) {
    return digits == null ? null : digits.images().get(i).source();
  }
}
