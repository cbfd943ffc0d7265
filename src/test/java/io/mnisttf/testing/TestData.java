package io.mnisttf.testing;

import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import java.io.UncheckedIOException;

/**
 * MNIST from the repository's data/mnist, loaded once per test JVM, and a classifier computed in plain
 * Java to build test models from: the nearest class mean (centroid) written as a linear layer,
 * {@code logit_c = T * (2 mu_c . x - |mu_c|^2)}, whose argmax is the nearest centroid. Its test accuracy
 * and loss, computed here without TensorFlow, are the reference the exported variants must reproduce.
 */
public final class TestData {
  static final float TEMPERATURE = 0.1f;
  private static MnistData train;
  private static MnistData test;
  private static Centroids centroids;

  private TestData() {}

  public static synchronized MnistData train() {
    if (train == null) {
      try {
        train = Mnist.loadTrain(Mnist.DEFAULT_DIR);
      } catch (java.io.IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return train;
  }

  public static synchronized MnistData test() {
    if (test == null) {
      try {
        test = Mnist.loadTest(Mnist.DEFAULT_DIR);
      } catch (java.io.IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return test;
  }

  /**
   * Weights {@code w[p][c]} (784x10) and biases {@code b[c]} of the centroid classifier, for [0,1] pixels.
   *
   * @param referenceAccuracy its accuracy on the 10 000 test images, computed in double precision
   * @param referenceLoss its mean cross-entropy (exact log-softmax) on them
   */
  public record Centroids(float[][] w, float[] b, double referenceAccuracy, double referenceLoss) {}

  public static synchronized Centroids centroids() {
    if (centroids == null) {
      centroids = computeCentroids();
    }
    return centroids;
  }

  /** The centroid classifier's accuracy on {@code data}, computed in plain Java (double precision). */
  public static double referenceAccuracy(MnistData data) {
    Centroids c = centroids();
    float[] image = new float[MnistData.PIXELS];
    int correct = 0;
    for (int i = 0; i < data.size(); i++) {
      data.copyScaled(i, image, 0);
      int best = 0;
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < 10; k++) {
        double z = c.b()[k];
        for (int p = 0; p < MnistData.PIXELS; p++) {
          z += (double) c.w()[p][k] * image[p];
        }
        if (z > max) {
          max = z;
          best = k;
        }
      }
      correct += best == data.label(i) ? 1 : 0;
    }
    return (double) correct / data.size();
  }

  private static Centroids computeCentroids() {
    MnistData data = train();
    int pixels = MnistData.PIXELS;
    double[][] sum = new double[10][pixels];
    int[] count = new int[10];
    float[] image = new float[pixels];
    for (int i = 0; i < data.size(); i++) {
      data.copyScaled(i, image, 0);
      int c = data.label(i);
      count[c]++;
      for (int p = 0; p < pixels; p++) {
        sum[c][p] += image[p];
      }
    }
    float[][] w = new float[pixels][10];
    float[] b = new float[10];
    for (int c = 0; c < 10; c++) {
      double norm = 0;
      for (int p = 0; p < pixels; p++) {
        double mu = sum[c][p] / count[c];
        w[p][c] = (float) (2 * TEMPERATURE * mu);
        norm += mu * mu;
      }
      b[c] = (float) (-TEMPERATURE * norm);
    }
    MnistData t = test();
    int correct = 0;
    double loss = 0;
    double[] logits = new double[10];
    for (int i = 0; i < t.size(); i++) {
      t.copyScaled(i, image, 0);
      for (int c = 0; c < 10; c++) {
        double z = b[c];
        for (int p = 0; p < pixels; p++) {
          z += (double) w[p][c] * image[p];
        }
        logits[c] = z;
      }
      int best = 0;
      double max = logits[0];
      for (int c = 1; c < 10; c++) {
        if (logits[c] > max) {
          max = logits[c];
          best = c;
        }
      }
      double s = 0;
      for (int c = 0; c < 10; c++) {
        s += Math.exp(logits[c] - max);
      }
      loss += max + Math.log(s) - logits[t.label(i)];
      if (best == t.label(i)) {
        correct++;
      }
    }
    return new Centroids(w, b, (double) correct / t.size(), loss / t.size());
  }
}
