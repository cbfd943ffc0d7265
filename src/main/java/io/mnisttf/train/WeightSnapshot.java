package io.mnisttf.train;

import java.util.List;

/**
 * A copy of the model's weights in Java memory, variable by variable in {@code Mlp.variables()} order.
 *
 * @param names variable names
 * @param shapes each variable's shape
 * @param values each variable's values, row-major
 */
public record WeightSnapshot(List<String> names, List<long[]> shapes, List<float[]> values) {
  public WeightSnapshot {
    names = List.copyOf(names);
    shapes = List.copyOf(shapes);
    values = List.copyOf(values);
  }
}
