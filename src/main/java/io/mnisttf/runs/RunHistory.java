package io.mnisttf.runs;

import com.google.gson.JsonParseException;
import io.mnisttf.train.EpochMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

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

  private static final List<String> COLUMNS = List.of(CSV_HEADER.split(","));
  private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

  private RunHistory() {}

  /** The epochs recorded in {@code runDir/history.csv}, in order. */
  public static List<EpochMetrics> read(Path runDir) throws IOException {
    Path file = runDir.resolve(CSV_FILE);
    return parseCsv(file, Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  /** The epochs recorded in {@code runDir/history.json}, in order. */
  public static List<EpochMetrics> readJson(Path runDir) throws IOException {
    Path file = runDir.resolve(JSON_FILE);
    EpochMetrics[] epochs;
    try {
      epochs = RunJson.GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), EpochMetrics[].class);
    } catch (JsonParseException e) {
      throw new RunFormatException(file, 1, "not a JSON list of epochs (" + e.getMessage() + ")");
    }
    if (epochs == null) {
      throw new RunFormatException(file, 1, "a JSON list of epochs expected, found nothing");
    }
    return List.of(epochs);
  }

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

  static List<EpochMetrics> parseCsv(Path file, List<String> lines) throws RunFormatException {
    if (lines.isEmpty()) {
      throw new RunFormatException(file, 1, "header '" + CSV_HEADER + "' expected, found an empty file");
    }
    String header = stripCr(lines.get(0));
    if (!header.equals(CSV_HEADER)) {
      throw new RunFormatException(file, 1, "header '" + CSV_HEADER + "' expected, found '" + header + "'");
    }
    List<EpochMetrics> epochs = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = stripCr(lines.get(i));
      if (line.isEmpty() && i == lines.size() - 1) {
        break;
      }
      String[] fields = line.split(",", -1);
      if (fields.length != COLUMNS.size()) {
        throw new RunFormatException(file, i + 1,
            COLUMNS.size() + " fields expected, found " + fields.length + " in '" + line + "'");
      }
      int epoch;
      try {
        epoch = Integer.parseInt(fields[0]);
      } catch (NumberFormatException e) {
        throw new RunFormatException(file, i + 1, "epoch: an integer expected, found '" + fields[0] + "'");
      }
      int previous = epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).epoch();
      if (epoch <= previous || epoch < 1) {
        throw new RunFormatException(file, i + 1,
            "epoch: a number above " + previous + " expected, found " + epoch);
      }
      double[] v = new double[5];
      for (int c = 1; c < fields.length; c++) {
        v[c - 1] = parse(file, i + 1, COLUMNS.get(c), fields[c]);
      }
      epochs.add(new EpochMetrics(epoch, v[0], v[1], v[2], v[3], v[4]));
    }
    return epochs;
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

  private static double parse(Path file, int line, String column, String text) throws RunFormatException {
    switch (text.toLowerCase(Locale.ROOT)) {
      case "nan":
        return Double.NaN;
      case "inf":
      case "infinity":
        return Double.POSITIVE_INFINITY;
      case "-inf":
      case "-infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        break;
    }
    if (!DECIMAL.matcher(text).matches()) {
      throw new RunFormatException(file, line, column + ": a number expected, found '" + text + "'");
    }
    return Double.parseDouble(text);
  }

  private static String stripCr(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }
}
