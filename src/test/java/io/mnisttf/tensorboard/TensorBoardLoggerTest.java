package io.mnisttf.tensorboard;

import io.mnisttf.train.FixedContext;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.train.BatchMetrics;
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

  /** The mean of the scripted batch losses of {@code epoch} up to {@code step} (batches of equal size). */
  private static double meanLoss(int epoch, int step) {
    double sum = 0;
    for (int s = 1; s <= step; s++) {
      sum += batchLoss(epoch, s);
    }
    return sum / step;
  }

  /** A scripted step: its own loss, and the epoch's mean so far, as the trainer reports them. */
  private static BatchMetrics batch(int epoch, int step) {
    return new BatchMetrics(epoch, step, 100, batchLoss(epoch, step), 0.5f, meanLoss(epoch, step),
        0.5 + 0.01 * step);
  }

  /** Drives the listener through a scripted run of {@link #EPOCHS} epochs of {@link #STEPS} steps. */
  private static void script(TensorBoardLogger logger, int epochs) {
    FixedContext context = new FixedContext(EPOCHS, STEPS);
    logger.onTrainBegin(context);
    for (int epoch = 1; epoch <= epochs; epoch++) {
      logger.onEpochBegin(epoch, context);
      for (int step = 1; step <= STEPS; step++) {
        logger.onBatchEnd(batch(epoch, step));
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

  /** What Keras 3's TensorBoard(update_freq="batch") writes, as src/python/check compares with a real one. */
  @ParameterizedTest
  @EnumSource(ScalarFormat.class)
  void writesKerasTagsStepsAndFloat32Values(ScalarFormat format) throws IOException {
    try (TensorBoardLogger logger = new TensorBoardLogger(TensorBoardLogger.Config.of(logDir).withFormat(format)
        .withLearningRate(0.001))) {
      script(logger, EPOCHS);
    }
    Path trainFile = onlyEventFile(logDir.resolve("train"));
    Path validationFile = onlyEventFile(logDir.resolve("validation"));
    for (Path file : List.of(trainFile, validationFile)) {
      assertEquals("brain.Event:2", EventFileReader.read(file).get(0).getFileVersion());
    }

    List<ScalarPoint> train = EventFileReader.scalars(trainFile);
    List<ScalarPoint> batchLoss = only(train, "batch_loss");
    List<ScalarPoint> batchAccuracy = only(train, "batch_accuracy");
    assertEquals(LongStream.rangeClosed(1, EPOCHS * STEPS).boxed().toList(),
        batchLoss.stream().map(ScalarPoint::step).toList());
    assertEquals(batchLoss.stream().map(ScalarPoint::step).toList(),
        batchAccuracy.stream().map(ScalarPoint::step).toList());
    for (int i = 0; i < batchLoss.size(); i++) {
      int epoch = i / STEPS + 1;
      int step = i % STEPS + 1;
      assertEquals((float) meanLoss(epoch, step), batchLoss.get(i).value(), 0f, "batch_loss at " + (i + 1));
      assertEquals((float) (0.5 + 0.01 * step), batchAccuracy.get(i).value(), 0f, "batch_accuracy at " + (i + 1));
    }
    List<ScalarPoint> validation = EventFileReader.scalars(validationFile);
    assertEquals(2 * EPOCHS * STEPS + 3 * EPOCHS, train.size());
    assertEquals(4 * EPOCHS, validation.size());
    for (int epoch = 1; epoch <= EPOCHS; epoch++) {
      EpochMetrics m = epochMetrics(epoch);
      int i = epoch - 1;
      for (var tag : List.of(only(train, "epoch_loss"), only(train, "epoch_accuracy"),
          only(train, "epoch_learning_rate"), only(validation, "epoch_loss"), only(validation, "epoch_accuracy"))) {
        assertEquals(epoch - 1, tag.get(i).step(), "Keras' epochs are 0-based");
      }
      assertEquals((float) m.loss(), only(train, "epoch_loss").get(i).value(), 0f);
      assertEquals((float) m.accuracy(), only(train, "epoch_accuracy").get(i).value(), 0f);
      assertEquals(0.001f, only(train, "epoch_learning_rate").get(i).value(), 0f);
      assertEquals((float) m.valLoss(), only(validation, "epoch_loss").get(i).value(), 0f);
      assertEquals((float) m.valAccuracy(), only(validation, "epoch_accuracy").get(i).value(), 0f);
      ScalarPoint evaluationLoss = only(validation, "evaluation_loss_vs_iterations").get(i);
      assertEquals((long) epoch * STEPS, evaluationLoss.step(), "the global step at the epoch's end");
      assertEquals((float) m.valLoss(), evaluationLoss.value(), 0f);
      ScalarPoint evaluationAccuracy = only(validation, "evaluation_accuracy_vs_iterations").get(i);
      assertEquals((long) epoch * STEPS, evaluationAccuracy.step());
      assertEquals((float) m.valAccuracy(), evaluationAccuracy.value(), 0f);
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
    assertEquals((float) meanLoss(2, 1), a.get(0).value(), 0f);

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
      logger.onBatchEnd(batch(1, 1));
      logger.onEpochEnd(epochMetrics(1), context);
      List<ScalarPoint> train = EventFileReader.scalars(logger.trainFile());
      assertEquals(List.of("batch_loss", "batch_accuracy", "epoch_accuracy", "epoch_loss"),
          train.stream().map(ScalarPoint::tag).toList());
      assertEquals(4, EventFileReader.scalars(logger.validationFile()).size());
    }
  }

  @Test
  void aFailedRunStillLeavesClosedReadableFiles() throws IOException {
    FixedContext context = new FixedContext(EPOCHS, STEPS);
    TensorBoardLogger logger = new TensorBoardLogger(TensorBoardLogger.Config.of(logDir));
    assertThrows(IllegalStateException.class, () -> {
      try (logger) {
        logger.onTrainBegin(context);
        logger.onBatchEnd(batch(1, 1));
        logger.onBatchEnd(batch(1, 2));
        throw new IllegalStateException("step failed");
      }
    });
    List<ScalarPoint> train = only(EventFileReader.scalars(logger.trainFile()), "batch_loss");
    assertEquals(List.of((float) meanLoss(1, 1), (float) meanLoss(1, 2)),
        train.stream().map(ScalarPoint::value).toList());
    var closed = assertThrows(java.io.UncheckedIOException.class, () -> logger.onBatchEnd(batch(1, 3)));
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
   * Per-step logging writes two small events per step (loss and accuracy), all of them readable (its cost per
   * step belongs in a benchmark, not in a unit test).
   */
  @Test
  void perStepLoggingWritesTwoSmallEventsPerStep() throws IOException {
    int steps = 2_000;
    FixedContext context = new FixedContext(1, steps);
    long bytes;
    try (TensorBoardLogger logger = new TensorBoardLogger(TensorBoardLogger.Config.of(logDir))) {
      logger.onTrainBegin(context);
      logger.onBatchEnd(new BatchMetrics(1, 1, 100, 1f, 0.5f, 1, 0.5));
      long before = Files.size(logger.trainFile());
      for (int step = 2; step <= steps; step++) {
        logger.onBatchEnd(new BatchMetrics(1, step, 100, 1f, 0.5f, 1.0 / step, 0.5));
      }
      logger.onEpochEnd(epochMetrics(1), context);
      bytes = Files.size(logger.trainFile()) - before;
    }
    double bytesPerStep = (double) bytes / (steps - 1);
    assertTrue(bytesPerStep > 40 && bytesPerStep < 160, bytesPerStep + " bytes per step");
    List<ScalarPoint> loss = only(EventFileReader.scalars(onlyEventFile(logDir.resolve("train"))), "batch_loss");
    assertEquals(steps, loss.size());
    assertEquals(steps, loss.get(steps - 1).step());
    assertEquals((float) (1.0 / steps), loss.get(steps - 1).value());
  }
}
