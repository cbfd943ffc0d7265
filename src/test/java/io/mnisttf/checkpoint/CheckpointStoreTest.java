package io.mnisttf.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.data.DataConfig;
import io.mnisttf.train.EarlyStopping;
import io.mnisttf.train.EpochMetrics;
import io.mnisttf.train.TrainConfig;
import io.mnisttf.train.WeightSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
  @TempDir Path dir;

  private static CheckpointState state(int epoch) {
    List<EpochMetrics> history = new ArrayList<>();
    for (int e = 1; e <= epoch; e++) {
      history.add(new EpochMetrics(e, 1.0 / e, 0.9, 0.5 / e, 0.91, 0.25));
    }
    return new CheckpointState(CheckpointState.FORMAT, epoch, DataConfig.DEFAULTS, TrainConfig.DEFAULTS,
        EarlyStopping.Config.DEFAULTS, new EarlyStopping.State(0.5 / epoch, epoch, 0), history, "2.18.0");
  }

  private static final WeightSnapshot WEIGHTS = new WeightSnapshot(List.of("dense_1_kernel", "dense_1_bias"),
      List.of(new long[] {2, 3}, new long[] {3}), List.of(new float[] {1, -2, 3.5f, Float.MIN_VALUE, 0, -0f},
          new float[] {0.25f, 0.5f, 0.75f}));

  private static io.mnisttf.train.CheckpointSource fakeVariables() {
    return prefix -> {
      Files.writeString(Path.of(prefix + ".index"), "index");
      Files.writeString(Path.of(prefix + ".data-00000-of-00001"), "data");
    };
  }

  private List<String> entries() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void roundTripsStateAndBestWeightsAndKeepsTheTwoMostRecent() throws IOException {
    CheckpointStore store = new CheckpointStore(dir);
    for (int epoch = 1; epoch <= 4; epoch++) {
      store.save(state(epoch), WEIGHTS, fakeVariables());
    }
    assertEquals(List.of("epoch-0003", "epoch-0004"), entries());
    CheckpointStore.Loaded loaded = store.latest().orElseThrow();
    assertEquals(dir.resolve("epoch-0004"), loaded.folder());
    assertEquals(state(4), loaded.state());
    assertEquals(dir.resolve("epoch-0004/variables"), loaded.variablesPrefix());
    assertEquals(WEIGHTS.names(), loaded.bestWeights().names());
    assertArrayEquals(WEIGHTS.shapes().get(0), loaded.bestWeights().shapes().get(0));
    assertArrayEquals(WEIGHTS.values().get(0), loaded.bestWeights().values().get(0));
    assertArrayEquals(WEIGHTS.values().get(1), loaded.bestWeights().values().get(1));
  }

  @Test
  void aCnnRunsStateRoundTripsAndOneWrittenBeforeTheCnnExistedReadsAsTheMlp() throws IOException {
    CheckpointStore store = new CheckpointStore(dir);
    CheckpointState cnn = new CheckpointState(CheckpointState.FORMAT, 1, DataConfig.DEFAULTS,
        TrainConfig.CNN_DEFAULTS, EarlyStopping.Config.DEFAULTS, new EarlyStopping.State(0.5, 1, 0),
        state(1).history(), "2.18.0");
    store.save(cnn, WEIGHTS, fakeVariables());
    assertEquals(cnn, store.latest().orElseThrow().state());

    Path stateFile = store.save(state(2), WEIGHTS, fakeVariables()).resolve(CheckpointStore.STATE_FILE);
    com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(Files.readString(stateFile))
        .getAsJsonObject();
    com.google.gson.JsonObject train = json.getAsJsonObject("train");
    train.remove("augmentation");
    train.remove("threads");
    train.getAsJsonObject("adam").remove("ema_momentum");
    com.google.gson.JsonObject model = train.getAsJsonObject("model");
    model.remove("architecture");
    model.remove("conv_filters");
    model.remove("dropout");
    assertEquals("{\"hidden_units\":[50,50]}", model.toString(), "what the MLP's checkpoints held");
    Files.writeString(stateFile, json.toString());
    assertEquals(state(2), store.latest().orElseThrow().state());
  }

  @Test
  void aFailedSaveKeepsThePreviousCheckpointAndLeavesNothingElse() throws IOException {
    CheckpointStore store = new CheckpointStore(dir);
    store.save(state(1), null, fakeVariables());
    IOException e = assertThrows(IOException.class, () -> store.save(state(2), WEIGHTS, prefix -> {
      Files.writeString(Path.of(prefix + ".index"), "half");
      throw new IOException("disk full");
    }));
    assertEquals("disk full", e.getMessage());
    assertEquals(List.of("epoch-0001"), entries());
    assertEquals(1, store.latest().orElseThrow().state().epoch());
  }

  @Test
  void emptyMissingAndIncompleteFoldersAreReportedClearly() throws IOException {
    assertTrue(new CheckpointStore(dir).latest().isEmpty());
    var missing = assertThrows(CheckpointException.class, () -> new CheckpointStore(dir.resolve("x")).latest());
    assertTrue(missing.getMessage().endsWith("x: no such directory (a checkpoint folder expected)"),
        missing.getMessage());
    Files.createDirectories(dir.resolve("epoch-0007"));
    var incomplete = assertThrows(CheckpointException.class, () -> new CheckpointStore(dir).latest());
    assertTrue(incomplete.getMessage().contains("state.json: missing"), incomplete.getMessage());
  }

  @Test
  void corruptFilesAreRefused() throws IOException {
    CheckpointStore store = new CheckpointStore(dir);
    Path folder = store.save(state(2), WEIGHTS, fakeVariables());
    Path weights = folder.resolve(CheckpointStore.BEST_WEIGHTS_FILE);
    byte[] bytes = Files.readAllBytes(weights);
    bytes[20] ^= 1;
    Files.write(weights, bytes);
    var crc = assertThrows(CheckpointException.class, store::latest);
    assertTrue(crc.getMessage().contains("checksum mismatch"), crc.getMessage());

    Files.write(weights, WeightSnapshotFile.encode(WEIGHTS));
    Files.writeString(folder.resolve(CheckpointStore.STATE_FILE), "{\"format\": 99}");
    var format = assertThrows(CheckpointException.class, store::latest);
    assertTrue(format.getMessage().contains("format 1 expected"), format.getMessage());

    Files.writeString(folder.resolve(CheckpointStore.STATE_FILE), "{not json");
    var json = assertThrows(CheckpointException.class, store::latest);
    assertTrue(json.getMessage().contains("unreadable checkpoint state"), json.getMessage());
  }

  @Test
  void aFileInPlaceOfTheFolderIsRefused() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    var e = assertThrows(CheckpointException.class,
        () -> new CheckpointStore(file).save(state(1), null, fakeVariables()));
    assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
  }
}
