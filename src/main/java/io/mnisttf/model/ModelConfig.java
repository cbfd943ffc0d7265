package io.mnisttf.model;

import java.util.List;

/**
 * Shape of the multi-layer perceptron: Flatten(28x28) -> Dense(h, relu) for each hidden size ->
 * Dense(10, softmax).
 *
 * @param hiddenUnits width of each hidden layer, in order; the tutorial's network has two of 50
 */
public record ModelConfig(List<Integer> hiddenUnits) {
  public static final List<Integer> HIDDEN_UNITS_DEFAULT = List.of(50, 50);
  public static final ModelConfig DEFAULTS = new ModelConfig(HIDDEN_UNITS_DEFAULT);

  public ModelConfig {
    hiddenUnits = List.copyOf(hiddenUnits);
    for (int units : hiddenUnits) {
      if (units < 1) {
        throw new IllegalArgumentException("hidden layer sizes must be >= 1, got " + hiddenUnits);
      }
    }
  }
}
