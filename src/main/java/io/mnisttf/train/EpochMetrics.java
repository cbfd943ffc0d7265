package io.mnisttf.train;

import java.util.List;

/**
 * What one epoch reports, as Keras' fit log does.
 *
 * @param epoch 1-based epoch number
 * @param loss mean training loss over the epoch's steps (weighted by batch size)
 * @param accuracy training accuracy over the epoch's steps
 * @param valLoss validation loss after the epoch
 * @param valAccuracy validation accuracy after the epoch
 * @param seconds wall time of the epoch, validation included
 */
public record EpochMetrics(int epoch, double loss, double accuracy, double valLoss, double valAccuracy,
    double seconds) {
  /** The metric names, as Keras spells them. */
  public static final List<String> NAMES = List.of("loss", "accuracy", "val_loss", "val_accuracy");

  /** Whether {@code name} is one of {@link #NAMES}. */
  public static boolean isMetric(String name) {
    return NAMES.contains(name);
  }

  /** The value of a Keras metric name: loss, accuracy, val_loss or val_accuracy. */
  public double get(String metric) {
    return switch (metric) {
      case "loss" -> loss;
      case "accuracy" -> accuracy;
      case "val_loss" -> valLoss;
      case "val_accuracy" -> valAccuracy;
      default -> throw new IllegalArgumentException(
          "unknown metric '" + metric + "' (loss, accuracy, val_loss or val_accuracy expected)");
    };
  }
}
