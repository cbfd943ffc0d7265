package io.mnisttf.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.train.EpochMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RunHistoryTest {
  private static final String HEADER = "epoch,loss,accuracy,val_loss,val_accuracy,seconds";

  @TempDir Path dir;

  @Test
  void csvRoundTripsEveryDoubleExactly() throws IOException {
    Random random = new Random(11);
    List<EpochMetrics> epochs = List.of(
        new EpochMetrics(1, 0.1, 1.0 / 3, Double.MIN_VALUE, Double.MAX_VALUE, 1e-300),
        new EpochMetrics(2, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0),
        new EpochMetrics(3, random.nextDouble(), random.nextGaussian(), Math.ulp(1.0), 0.9 + 0.01, 123456.789),
        new EpochMetrics(10, (float) 0.3, 2.5e-8, 7, 0.5, 3.0e10));
    Files.writeString(dir.resolve("history.csv"), RunHistory.toCsv(epochs));
    assertEquals(epochs, RunHistoryReader.read(dir));
    Files.writeString(dir.resolve("history.json"), RunHistory.toJson(epochs));
    assertEquals(epochs, RunHistoryReader.readJson(dir));
  }

  @Test
  void nonFiniteValuesAreWrittenAsPythonPrintsThem() {
    String csv = RunHistory.toCsv(List.of(new EpochMetrics(1, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, 0.5, 1)));
    assertEquals(HEADER + "\n1,nan,inf,-inf,0.5,1.0\n", csv);
  }

  @Test
  void readsWindowsLineEndingsAndAnEmptyHistory() throws IOException {
    Files.writeString(dir.resolve("history.csv"), HEADER + "\r\n1,0.5,0.8,0.4,0.85,2.0\r\n");
    assertEquals(List.of(new EpochMetrics(1, 0.5, 0.8, 0.4, 0.85, 2.0)), RunHistoryReader.read(dir));
    Files.writeString(dir.resolve("history.csv"), HEADER + "\n");
    assertEquals(List.of(), RunHistoryReader.read(dir));
  }

  static Stream<Arguments> badFiles() {
    String row = "1,0.5,0.8,0.4,0.85,2\n";
    return Stream.of(
        Arguments.of("epoch,loss\n", 1, "header '" + HEADER + "' expected, found 'epoch,loss'"),
        Arguments.of("", 1, "header '" + HEADER + "' expected, found an empty file"),
        Arguments.of(HEADER + "\n1,0.5,0.8,0.4,0.85\n", 2, "6 fields expected, found 5 in '1,0.5,0.8,0.4,0.85'"),
        Arguments.of(HEADER + "\n1,0.5,0.8,x,0.85,2\n", 2, "val_loss: a number expected, found 'x'"),
        Arguments.of(HEADER + "\n1,0.5,0.8, 0.4,0.85,2\n", 2, "val_loss: a number expected, found ' 0.4'"),
        Arguments.of(HEADER + "\n1,0.5,0.8,0.4,0.85,2d\n", 2, "seconds: a number expected, found '2d'"),
        Arguments.of(HEADER + "\none,0.5,0.8,0.4,0.85,2\n", 2, "epoch: an integer expected, found 'one'"),
        Arguments.of(HEADER + "\n" + row + row, 3, "epoch: a number above 1 expected, found 1"),
        Arguments.of(HEADER + "\n" + row + "\n" + row, 3, "6 fields expected, found 1 in ''"));
  }

  @ParameterizedTest
  @MethodSource("badFiles")
  void badFilesNameTheFileLineAndProblem(String content, int line, String problem) throws IOException {
    Path file = dir.resolve("history.csv");
    Files.writeString(file, content);
    var e = assertThrows(RunFormatException.class, () -> RunHistoryReader.read(dir));
    assertEquals(file + ": line " + line + ": " + problem, e.getMessage());
  }

  @Test
  void aJsonHistoryThatIsNotAListIsReported() throws IOException {
    Path file = dir.resolve("history.json");
    Files.writeString(file, "{\"epoch\": 1}");
    var e = assertThrows(RunFormatException.class, () -> RunHistoryReader.readJson(dir));
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
  }
}
