package io.mnisttf.train;

/** Running, example-weighted mean of per-batch loss and accuracy. */
final class MetricMeter {
  private double lossSum;
  private double accuracySum;
  private int examples;

  void add(float batchLoss, float batchAccuracy, int batchSize) {
    lossSum += (double) batchLoss * batchSize;
    accuracySum += (double) batchAccuracy * batchSize;
    examples += batchSize;
  }

  Metrics result() {
    return examples == 0 ? new Metrics(Double.NaN, Double.NaN, 0)
        : new Metrics(lossSum / examples, accuracySum / examples, examples);
  }
}
