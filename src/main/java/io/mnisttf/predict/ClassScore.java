package io.mnisttf.predict;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One class and the probability a model gave it.
 *
 * @param digit the class, 0-9 for MNIST
 * @param probability in [0,1]
 */
public record ClassScore(int digit, float probability) {
  /**
   * The {@code k} most probable classes, most probable first (ties: lower class first).
   *
   * @param probabilities one model output row, e.g. 10 softmax probabilities
   * @param k how many, 1 to {@code probabilities.length}
   */
  public static List<ClassScore> top(float[] probabilities, int k) {
    if (k < 1 || k > probabilities.length) {
      throw new IllegalArgumentException("k must be in [1, " + probabilities.length + "], got " + k);
    }
    List<ClassScore> all = new ArrayList<>(probabilities.length);
    for (int c = 0; c < probabilities.length; c++) {
      all.add(new ClassScore(c, probabilities[c]));
    }
    all.sort(Comparator.comparingDouble((ClassScore s) -> -s.probability()).thenComparingInt(ClassScore::digit));
    return List.copyOf(all.subList(0, k));
  }
}
