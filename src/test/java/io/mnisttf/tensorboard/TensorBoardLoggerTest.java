package io.mnisttf.tensorboard;

import io.mnisttf.train.FixedContext;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.train.EpochMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.proto.Event;

class TensorBoardLoggerTest {
  private static final int EPOCHS = 3;
  private static final int STEPS = 4;

  @TempDir Path logDir;

  /** Batch loss of a scripted step: distinct, not exactly representable in decimal. */
  private static float batchLoss(int epoch, int step) {
    return 2.0f / (epoch * 10 + step);
  }

  private static EpochMetrics epochMetrics(int epoch) {
    return new EpochMetrics(epoch, 0.5 / epoch, 1 - 0.1 / epoch, 0.6 / epoch + 1e-9, 0.97 - 0.01 / epoch, 1.25);
  }

  /** Drives the listener through a scripted run of {@link #EPOCHS} epochs of {@link #STEPS} steps. */
  private static void script(TensorBoardLogger logger, int epochs) {
    FixedContext context = new FixedContext(EPOCHS, STEPS);
    logger.onTrainBegin(context);
    for (int epoch = 1; epoch <= epochs; epoch++) {
      logger.onEpochBegin(epoch, context);
      for (int step = 1; step <= STEPS; step++) {
        logger.onBatchEnd(epoch, step, batchLoss(epoch, step), 0.5f);
      }
      logger.onEpochEnd(epochMetrics(epoch), context);
    }
    logger.onTrainEnd(context);
  }

  private static List<ScalarPoint> only(List<ScalarPoint> points, String tag) {
    return points.stream().filter(p -> p.tag().equals(tag)).collect(Collectors.toList());
  }

  private static Path onlyEventFile(Path dir) throws IOException {
    List<Path> files = EventFileReader.eventFiles(dir);
    assertEquals(1, files.size(), "event files in " + dir);
    assertTrue(files.get(0).getFileName().toString().contains("tfevents"));
    assertTrue(files.get(0).getFileName().toString().endsWith(".v2"));
    return files.get(0);
  }

  @ParameterizedTest
  @EnumSource(ScalarFormat.class)
  void writesKerasLayoutTagsStepsAndFloat32Values(ScalarFormat format) throws IOException {
    try (TensorBoardLogger logger = new TensorBoardLogger(TensorBoardLogger.Config.of(logDir).withFormat(format))) {
      script(logger, EPOCHS);
    }
    Path trainFile = onlyEventFile(logDir.resolve("train"));
    Path validationFile = onlyEventFile(logDir.resolve("validation"));
    for (Path file : List.of(trainFile, validationFile)) {
      assertEquals("brain.Event:2", EventFileReader.read(file).get(0).getFileVersion());
    }

    List<ScalarPoint> train = EventFileReader.scalars(trainFile);
    List<ScalarPoint> batch = only(train, "batch_loss");
    assertEquals(LongStream.rangeClosed(1, EPOCHS * STEPS).boxed().toList(),
        batch.stream().map(ScalarPoint::step).toList());
    for (ScalarPoint p : batch) {
      int epoch = (int) ((p.step() - 1) / STEPS) + 1;
      int step = (int) ((p.step() - 1) % STEPS) + 1;
      assertEquals(batchLoss(epoch, step), p.value(), 0f, "batch_loss at " + p.step());
    }
    List<ScalarPoint> epochLoss = only(train, "epoch_loss");
    List<ScalarPoint> epochAccuracy = only(train, "epoch_accuracy");
    List<ScalarPoint> valLoss = only(EventFileReader.scalars(validationFile), "epoch_loss");
    List<ScalarPoint> valAccuracy = only(EventFileReader.scalars(validationFile), "epoch_accuracy");
    assertEquals(EPOCHS * STEPS + 2 * EPOCHS, train.size());
    assertEquals(2 * EPOCHS, EventFileReader.scalars(validationFile).size());
    for (int epoch = 1; epoch <= EPOCHS; epoch++) {
      EpochMetrics m = epochMetrics(epoch);
      int i = epoch - 1;
      assertEquals(epoch, epochLoss.get(i).step());
      assertEquals(epoch, valAccuracy.get(i).step());
      assertEquals((float) m.loss(), epochLoss.get(i).value(), 0f);
      assertEquals((float) m.accuracy(), epochAccuracy.get(i).value(), 0f);
      assertEquals((float) m.valLoss(), valLoss.get(i).value(), 0f);
      assertEquals((float) m.valAccuracy(), valAccuracy.get(i).value(), 0f);
    }
  }

  @Test
  void batchLossCanBeThinnedOrTurnedOff() throws IOException {
    try (TensorBoardLogger every5 = new TensorBoardLogger(TensorBoardLogger.Config.of(logDir.resolve("a"))
        .withBatchLossEvery(5))) {
      script(every5, EPOCHS);
    }
    List<ScalarPoint> a = only(EventFileReader.scalars(onlyEventFile(logDir.resolve("a/train"))), "batch_loss");
    assertEquals(List.of(5L, 10L), a.stream().map(ScalarPoint::step).toList());
    assertEquals(batchLoss(2, 1), a.get(0).value(), 0f);

    try (TensorBoardLogger off = new TensorBoardLogger(TensorBoardLogger.Config.of(logDir.resolve("b"))
        .withBatchLossEvery(0))) {
      script(off, EPOCHS);
    }
    List<ScalarPoint> b = EventFileReader.scalars(onlyEventFile(logDir.resolve("b/train")));
    assertEquals(0, only(b, "batch_loss").size());
    assertEquals(EPOCHS, only(b, "epoch_loss").size());
  }

  @Test
  void eachEpochIsOnDiskBeforeTrainingEnds() throws IOException {
    FixedContext context = new FixedContext(EPOCHS, STEPS);
    try (TensorBoardLogger logger = new TensorBoardLogger(TensorBoardLogger.Config.of(logDir))) {
      logger.onTrainBegin(context);
      logger.onBatchEnd(1, 1, 0.75f, 0.5f);
      logger.onEpochEnd(epochMetrics(1), context);
      List<ScalarPoint> train = EventFileReader.scalars(logger.trainFile());
      assertEquals(List.of("batch_loss", "epoch_loss", "epoch_accuracy"),
          train.stream().map(ScalarPoint::tag).toList());
      assertEquals(2, EventFileReader.scalars(logger.validationFile()).size());
    }
  }

  @Test
  void aFailedRunStillLeavesClosedReadableFiles() throws IOException {
    FixedContext context = new FixedContext(EPOCHS, STEPS);
    TensorBoardLogger logger = new TensorBoardLogger(TensorBoardLogger.Config.of(logDir));
    assertThrows(IllegalStateException.class, () -> {
      try (logger) {
        logger.onTrainBegin(context);
        logger.onBatchEnd(1, 1, 0.75f, 0.5f);
        logger.onBatchEnd(1, 2, 0.5f, 0.5f);
        throw new IllegalStateException("step failed");
      }
    });
    List<ScalarPoint> train = EventFileReader.scalars(logger.trainFile());
    assertEquals(List.of(0.75f, 0.5f), train.stream().map(ScalarPoint::value).toList());
    var closed = assertThrows(java.io.UncheckedIOException.class, () -> logger.onBatchEnd(1, 3, 0.25f, 0.5f));
    assertTrue(closed.getMessage().contains(logger.trainFile().toString()), closed.getMessage());
    assertDoesNotThrow(logger::close);
  }

  @Test
  void closeBeforeTrainingIsHarmless() {
    TensorBoardLogger logger = new TensorBoardLogger(TensorBoardLogger.Config.of(logDir));
    assertDoesNotThrow(logger::close);
    assertDoesNotThrow(logger::close);
    assertEquals(null, logger.trainFile());
  }

  @Test
  void aSecondRunWritesNewFiles() throws IOException {
    try (TensorBoardLogger logger = new TensorBoardLogger(TensorBoardLogger.Config.of(logDir))) {
      script(logger, 1);
      script(logger, 2);
    }
    List<Path> files = EventFileReader.eventFiles(logDir.resolve("train"));
    assertEquals(2, files.size());
    int epochEvents = 0;
    for (Path f : files) {
      epochEvents += only(EventFileReader.scalars(f), "epoch_loss").size();
    }
    assertEquals(3, epochEvents);
  }

  @Test
  void aCorruptedByteInTheLogIsDetected() throws IOException {
    try (TensorBoardLogger logger = new TensorBoardLogger(TensorBoardLogger.Config.of(logDir))) {
      script(logger, EPOCHS);
    }
    Path file = onlyEventFile(logDir.resolve("validation"));
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 9] ^= 0x40;
    Files.write(file, bytes);
    var e = assertThrows(TfRecordFormatException.class, () -> EventFileReader.read(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
  }

  @Test
  void invalidConfigIsRejected() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> TensorBoardLogger.Config.of(logDir).withBatchLossEvery(-1));
    assertTrue(e.getMessage().contains("got -1"), e.getMessage());
  }

  /**
   * Per-step logging writes one small event per step, all of them readable (its cost per step belongs in a
   * benchmark, not in a unit test).
   */
  @Test
  void perStepLoggingWritesOneSmallEventPerStep() throws IOException {
    int steps = 2_000;
    FixedContext context = new FixedContext(1, steps);
    long bytes;
    try (TensorBoardLogger logger = new TensorBoardLogger(TensorBoardLogger.Config.of(logDir))) {
      logger.onTrainBegin(context);
      logger.onBatchEnd(1, 1, 1f, 0.5f);
      long before = Files.size(logger.trainFile());
      for (int step = 2; step <= steps; step++) {
        logger.onBatchEnd(1, step, 1f / step, 0.5f);
      }
      logger.onEpochEnd(epochMetrics(1), context);
      bytes = Files.size(logger.trainFile()) - before;
    }
    double bytesPerStep = (double) bytes / (steps - 1);
    assertTrue(bytesPerStep > 20 && bytesPerStep < 80, bytesPerStep + " bytes per step");
    List<Event> events = EventFileReader.read(onlyEventFile(logDir.resolve("train")));
    Event last = events.get(steps);
    assertEquals(steps, last.getStep());
    assertEquals(1f / steps, last.getSummary().getValue(0).getSimpleValue());
  }
}
