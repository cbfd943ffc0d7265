package io.mnisttf.cli.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Median, minimum and maximum of one metric over the repetitions of a benchmark.
 *
 * @param median middle value (mean of the two middle ones for an even count)
 * @param min smallest value
 * @param max largest value
 * @param count number of values (NaNs are left out)
 */
public record Stats(double median, double min, double max, int count) {
  public static Stats of(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).sorted()
        .toArray();
    if (sorted.length == 0) {
      return new Stats(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    int mid = sorted.length / 2;
    double median = sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    return new Stats(median, sorted[0], sorted[sorted.length - 1], sorted.length);
  }

  @Override
  public String toString() {
    return Arrays.toString(new double[] {median, min, max});
  }
}
