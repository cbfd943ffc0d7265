package io.mnisttf.runs;

import io.mnisttf.train.FixedContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.mnisttf.data.DataConfig;
import io.mnisttf.train.EarlyStopping;
import io.mnisttf.train.EpochMetrics;
import io.mnisttf.train.Metrics;
import io.mnisttf.train.TrainConfig;
import io.mnisttf.train.TrainingResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRecorderTest {
  private static final ZoneId ZONE = ZoneId.of("Europe/Zurich");
  private static final Clock CLOCK =
      Clock.fixed(LocalDateTime.of(2026, 11, 28, 15, 30, 12).atZone(ZONE).toInstant(), ZONE);
  private final FixedContext CONTEXT = new FixedContext(5, 540);

  @TempDir Path root;

  /** A configuration record like the lead's: camelCase components, a path, nested values. */
  record Config(int epochs, int batchSize, double learningRate, long seed, Path dataDir, int[] hiddenUnits) {}

  private static final Config CONFIG = new Config(5, 100, 0.001, 42L, Path.of("data/mnist"), new int[] {50, 50});

  private static EpochMetrics epoch(int n) {
    return new EpochMetrics(n, 0.4 / n, 1 - 0.1 / n, 0.3 / n + 1.0 / 3, 0.9 + 0.01 * n, 2.5 + n / 7.0);
  }

  private List<EpochMetrics> script(RunRecorder recorder, int epochs) {
    CONTEXT.history().clear(); // a new training run, a new history
    recorder.onTrainBegin(CONTEXT);
    for (int n = 1; n <= epochs; n++) {
      recorder.onEpochBegin(n, CONTEXT);
      CONTEXT.endEpoch(recorder, epoch(n));
    }
    recorder.onTrainEnd(CONTEXT);
    return Stream.iterate(1, n -> n + 1).limit(epochs).map(RunRecorderTest::epoch).toList();
  }

  private static Set<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  private static List<Path> tempFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
  }

  @Test
  void recordsConfigHistoryAndFinalMetricsAfterThreeEpochs() throws IOException {
    RunRecorder recorder = RunRecorder.inRoot(root.resolve("runs"), CONFIG, CLOCK);
    List<EpochMetrics> epochs = script(recorder, 3);
    Path export = root.resolve("saved-models/mnist/1");
    TrainingResult result = new TrainingResult(epochs, "val_loss did not improve", 12.5, epochs.size() * 54_000L, false, false);
    recorder.finish(FinalMetrics.of(result, new Metrics(0.125, 0.96875, 10_000), 2), export);

    Path runDir = recorder.runDir();
    assertEquals(root.resolve("runs/20261128-153012"), runDir);
    assertEquals(Set.of("config.json", "history.csv", "history.json", "metrics.json"), fileNames(runDir));

    List<String> csv = Files.readAllLines(runDir.resolve("history.csv"));
    assertEquals(4, csv.size());
    assertEquals("epoch,loss,accuracy,val_loss,val_accuracy,seconds", csv.get(0));
    assertEquals("2," + 0.2 + "," + 0.95 + "," + (0.15 + 1.0 / 3) + "," + (0.9 + 0.02) + "," + (2.5 + 2 / 7.0),
        csv.get(2));
    assertEquals(epochs, RunHistoryReader.read(runDir));
    assertEquals(epochs, RunHistoryReader.readJson(runDir));

    JsonArray history = JsonParser.parseString(Files.readString(runDir.resolve("history.json"))).getAsJsonArray();
    assertEquals(3, history.size());
    assertEquals(Set.of("epoch", "loss", "accuracy", "val_loss", "val_accuracy", "seconds"),
        history.get(0).getAsJsonObject().keySet());

    JsonObject config = JsonParser.parseString(Files.readString(runDir.resolve("config.json"))).getAsJsonObject();
    assertEquals(Set.of("epochs", "batch_size", "learning_rate", "seed", "data_dir", "hidden_units"), config.keySet());
    assertEquals(0.001, config.get("learning_rate").getAsDouble());
    assertEquals(42L, config.get("seed").getAsLong());
    assertEquals(Path.of("data/mnist").toString(), config.get("data_dir").getAsString());
    assertEquals(2, config.get("hidden_units").getAsJsonArray().size());

    JsonObject metrics = JsonParser.parseString(Files.readString(runDir.resolve("metrics.json"))).getAsJsonObject();
    assertEquals(0.125, metrics.get("test_loss").getAsDouble());
    assertEquals(0.96875, metrics.get("test_accuracy").getAsDouble());
    assertEquals(10_000, metrics.get("test_examples").getAsInt());
    assertEquals(3, metrics.get("epochs_run").getAsInt());
    assertTrue(metrics.get("stopped_early").getAsBoolean());
    assertEquals("val_loss did not improve", metrics.get("stop_reason").getAsString());
    assertEquals(2, metrics.get("best_epoch").getAsInt());
    assertEquals(epochs.get(1).valLoss(), metrics.get("best_val_loss").getAsDouble());
    assertEquals(epochs.get(1).valAccuracy(), metrics.get("best_val_accuracy").getAsDouble());
    assertEquals(12.5, metrics.get("train_seconds").getAsDouble());
    assertEquals(3 * 54_000 / 12.5, metrics.get("samples_per_second").getAsDouble());
    assertEquals(export.toAbsolutePath().toString(), metrics.get("export_dir").getAsString());
    assertTrue(tempFiles(root).isEmpty());
  }

  @Test
  void historyIsOnDiskAfterEachEpoch() throws IOException {
    RunRecorder recorder = RunRecorder.inRoot(root, CONFIG, CLOCK);
    recorder.onTrainBegin(CONTEXT);
    recorder.awaitWrites();
    assertEquals(Set.of("config.json"), fileNames(recorder.runDir()));
    CONTEXT.endEpoch(recorder, epoch(1));
    recorder.awaitWrites();
    assertEquals(List.of(epoch(1)), RunHistoryReader.read(recorder.runDir()));
    CONTEXT.endEpoch(recorder, epoch(2));
    recorder.onTrainEnd(CONTEXT);
    assertEquals(List.of(epoch(1), epoch(2)), RunHistoryReader.read(recorder.runDir()));
    assertEquals(List.of(epoch(1), epoch(2)), RunHistoryReader.readJson(recorder.runDir()));
  }

  @Test
  void aFileThatCannotBeWrittenStopsTheTrainingByTheNextEpochEndOrTheTrainingEnd() throws IOException {
    RunRecorder recorder = RunRecorder.inRoot(root, CONFIG, CLOCK);
    recorder.onTrainBegin(CONTEXT);
    recorder.awaitWrites();
    Path runDir = recorder.runDir();
    Files.delete(runDir.resolve("config.json"));
    Files.delete(runDir); // the folder is gone: the history cannot be written
    CONTEXT.endEpoch(recorder, epoch(1));
    var atEnd = assertThrows(UncheckedIOException.class, () -> recorder.onTrainEnd(CONTEXT));
    assertTrue(atEnd.getMessage().startsWith(runDir.resolve("history.csv").toString()), atEnd.getMessage());
    var atNextEpoch = assertThrows(UncheckedIOException.class, () -> CONTEXT.endEpoch(recorder, epoch(2)));
    assertEquals(atEnd.getCause(), atNextEpoch.getCause(), "the first failure, again");
  }

  @Test
  void noExportIsRecordedAsNullAndBestEpochZeroMeansTheLast() throws IOException {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("batch_size", 100);
    config.put("export", null);
    RunRecorder recorder = RunRecorder.inRoot(root, config, CLOCK);
    List<EpochMetrics> epochs = script(recorder, 2);
    recorder.finish(FinalMetrics.of(new TrainingResult(epochs, null, 4.0, epochs.size() * 1000L, false, false), new Metrics(0.5, 0.75, 100), 0),
        null);
    JsonObject metrics =
        JsonParser.parseString(Files.readString(recorder.runDir().resolve("metrics.json"))).getAsJsonObject();
    assertTrue(metrics.has("export_dir"));
    assertTrue(metrics.get("export_dir").isJsonNull());
    assertTrue(metrics.get("stop_reason").isJsonNull());
    assertFalse(metrics.get("stopped_early").getAsBoolean());
    assertEquals(2, metrics.get("best_epoch").getAsInt());
    JsonObject written =
        JsonParser.parseString(Files.readString(recorder.runDir().resolve("config.json"))).getAsJsonObject();
    assertEquals(Set.of("batch_size", "export"), written.keySet());
  }

  @Test
  void runsStartedInTheSameSecondGetSuffixedFolders() {
    List<Path> dirs = Stream.of(1, 2, 3).map(i -> {
      RunRecorder recorder = RunRecorder.inRoot(root, CONFIG, CLOCK);
      recorder.onTrainBegin(CONTEXT);
      recorder.onTrainEnd(CONTEXT);
      return recorder.runDir().getFileName().toString();
    }).map(Path::of).toList();
    assertEquals(List.of(Path.of("20261128-153012"), Path.of("20261128-153012-2"), Path.of("20261128-153012-3")),
        dirs);
  }

  @Test
  void aSecondTrainingRunOfOneRecorderGetsANewFolder() throws IOException {
    RunRecorder recorder = RunRecorder.inRoot(root, CONFIG, CLOCK);
    List<EpochMetrics> first = script(recorder, 3);
    Path firstDir = recorder.runDir();
    script(recorder, 1);
    assertNotEquals(firstDir, recorder.runDir());
    assertEquals(first, RunHistoryReader.read(firstDir));
    assertEquals(1, RunHistoryReader.read(recorder.runDir()).size());
  }

  @Test
  void anExactFolderThatExistsIsNeverReused() throws IOException {
    Path existing = Files.createDirectories(root.resolve("my-run"));
    RunRecorder recorder = RunRecorder.at(existing, CONFIG);
    var e = assertThrows(UncheckedIOException.class, () -> recorder.onTrainBegin(CONTEXT));
    assertTrue(e.getMessage().startsWith(existing.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertEquals(Set.of(), fileNames(existing));

    RunRecorder fresh = RunRecorder.at(root.resolve("a/b/new-run"), CONFIG);
    script(fresh, 1);
    assertEquals(root.resolve("a/b/new-run"), fresh.runDir());
    assertEquals(1, RunHistoryReader.read(fresh.runDir()).size());
  }

  /** The project's own configuration records, nested, serialize with snake_case keys at every level. */
  record ProjectConfig(DataConfig data, TrainConfig train, EarlyStopping.Config earlyStopping) {}

  @Test
  void theProjectsConfigurationRecordsAreWrittenWhole() throws IOException {
    RunRecorder recorder = RunRecorder.inRoot(root, new ProjectConfig(DataConfig.DEFAULTS, TrainConfig.DEFAULTS,
        EarlyStopping.Config.DEFAULTS), CLOCK);
    recorder.onTrainBegin(CONTEXT);
    recorder.onTrainEnd(CONTEXT);
    JsonObject config =
        JsonParser.parseString(Files.readString(recorder.runDir().resolve("config.json"))).getAsJsonObject();
    JsonObject train = config.getAsJsonObject("train");
    assertEquals(TrainConfig.DEFAULTS.seed(), train.get("seed").getAsLong());
    assertEquals(TrainConfig.DEFAULTS.batchSize(), train.get("batch_size").getAsInt());
    assertEquals(TrainConfig.DEFAULTS.adam().learningRate(), train.getAsJsonObject("adam").get("learning_rate")
        .getAsFloat());
    assertEquals(TrainConfig.DEFAULTS.model().hiddenUnits().size(),
        train.getAsJsonObject("model").getAsJsonArray("hidden_units").size());
    assertEquals(DataConfig.DEFAULTS.dataDir().toString(), config.getAsJsonObject("data").get("data_dir")
        .getAsString());
    assertEquals("val_loss", config.getAsJsonObject("early_stopping").get("monitor").getAsString());
  }

  @Test
  void finishingBeforeTrainingIsAnError() {
    RunRecorder recorder = RunRecorder.inRoot(root, CONFIG, CLOCK);
    assertThrows(IllegalStateException.class,
        () -> recorder.finish(new FinalMetrics(0, 0, 0, 0, false, null, 0, 0, 0, 0, 0), null));
    assertEquals(null, recorder.runDir());
  }

  @Test
  void finalMetricsRejectABestEpochThatWasNotRun() {
    TrainingResult result = new TrainingResult(List.of(epoch(1), epoch(2)), null, 1.0, 20, false, false);
    var e = assertThrows(IllegalArgumentException.class,
        () -> FinalMetrics.of(result, new Metrics(0.1, 0.9, 10), 3));
    assertTrue(e.getMessage().contains("got 3"), e.getMessage());
  }
}
