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

/** Reads back what {@link RunHistory} writes (only tests read run folders). */
public final class RunHistoryReader {
  private static final List<String> COLUMNS = List.of(RunHistory.CSV_HEADER.split(","));
  private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
  private static final String CSV_HEADER = RunHistory.CSV_HEADER;
  private static final String CSV_FILE = RunHistory.CSV_FILE;
  private static final String JSON_FILE = RunHistory.JSON_FILE;

  private RunHistoryReader() {}

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
