package io.mnisttf.savedmodel;

import io.mnisttf.predict.ClassScore;
import java.util.List;

/**
 * A model's answer for one image: the probability of each digit.
 *
 * @param probabilities the 10 probabilities, by digit (float32, whatever the model's output type)
 */
public record Classification(float[] probabilities) {
  public Classification {
    probabilities = probabilities.clone();
  }

  @Override
  public float[] probabilities() {
    return probabilities.clone();
  }

  /** The most probable digit (the lower one on a tie). */
  public int digit() {
    return top(1).get(0).digit();
  }

  /** The probability of the most probable digit. */
  public float probability() {
    return top(1).get(0).probability();
  }

  /** The {@code k} most probable digits, most probable first. */
  public List<ClassScore> top(int k) {
    return ClassScore.top(probabilities, k);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Classification c && java.util.Arrays.equals(probabilities, c.probabilities);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(probabilities);
  }

  @Override
  public String toString() {
    return "Classification" + top(3);
  }
}
