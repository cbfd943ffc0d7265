package io.mnisttf.runs;

import io.mnisttf.train.EpochMetrics;
import java.util.List;

/**
 * A run's per-epoch history in the two forms {@link RunRecorder} writes: {@code history.csv}, with the columns
 * of Keras' {@code CSVLogger} plus the epoch's seconds, and {@code history.json}, a list of epoch objects with
 * the same snake_case keys.
 *
 * <p>CSV numbers are Java's shortest decimal that reads back to the same double, so a written history reads
 * back exactly; non-finite values are written as Python prints them ({@code nan}, {@code inf}, {@code -inf}), so
 * pandas and Python read them too. Epochs are 1-based, as in {@link EpochMetrics} (Keras' CSVLogger counts from
 * 0).
 */
public final class RunHistory {
  /** The CSV file in a run folder. */
  public static final String CSV_FILE = "history.csv";
  /** The JSON file in a run folder. */
  public static final String JSON_FILE = "history.json";
  /** The CSV header line. */
  public static final String CSV_HEADER = "epoch,loss,accuracy,val_loss,val_accuracy,seconds";

  private RunHistory() {}

  /** The CSV text of {@code epochs}: header, then one row per epoch, lines ending in '\n'. */
  public static String toCsv(List<EpochMetrics> epochs) {
    StringBuilder csv = new StringBuilder(64 * (epochs.size() + 1)).append(CSV_HEADER).append('\n');
    for (EpochMetrics m : epochs) {
      csv.append(m.epoch());
      for (double v : new double[] {m.loss(), m.accuracy(), m.valLoss(), m.valAccuracy(), m.seconds()}) {
        csv.append(',').append(format(v));
      }
      csv.append('\n');
    }
    return csv.toString();
  }

  /** The JSON text of {@code epochs}: a list of objects with the CSV's keys. */
  public static String toJson(List<EpochMetrics> epochs) {
    return RunJson.toJson(epochs);
  }

  private static String format(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    return Double.toString(v);
  }
}
