package io.mnisttf.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import io.mnisttf.tensorboard.EventFileReader;
import io.mnisttf.tensorboard.ScalarPoint;
import io.mnisttf.tensorboard.TensorBoardLogger;
import io.mnisttf.train.EpochMetrics;
import io.mnisttf.train.TrainConfig;
import io.mnisttf.train.Trainer;
import io.mnisttf.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both listeners on a real (tiny) training run: what they write matches what the trainer reports. */
class RecordedTrainingTest {
  @TempDir Path dir;

  @Test
  void runFolderAndTensorBoardLogMatchTheTrainingResult() throws Exception {
    MnistData.Split split = Mnist.loadTrain(Mnist.DEFAULT_DIR).first(300).split(50, 42);
    TrainConfig config = TrainConfig.DEFAULTS.withEpochs(2);
    RunRecorder recorder = RunRecorder.inRoot(dir.resolve("runs"), Map.of("seed", config.seed(), "epochs", 2));
    TrainingResult result;
    try (TensorBoardLogger tensorBoard = new TensorBoardLogger(TensorBoardLogger.Config.of(dir.resolve("logs")));
        Trainer trainer = new Trainer(config)) {
      result = trainer.fit(split.train(), split.validation(), List.of(recorder, tensorBoard));
    }
    List<EpochMetrics> epochs = result.epochs();
    assertEquals(epochs, RunHistoryReader.read(recorder.runDir()));
    assertEquals(epochs, RunHistoryReader.readJson(recorder.runDir()));

    Path trainLog = EventFileReader.eventFiles(dir.resolve("logs/train")).get(0);
    List<ScalarPoint> train = EventFileReader.scalars(trainLog);
    // 250 training examples in batches of 100: 3 steps an epoch, the last one of 50.
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), train.stream().filter(p -> p.tag().equals("batch_loss"))
        .map(ScalarPoint::step).toList());
    List<ScalarPoint> epochLoss = train.stream().filter(p -> p.tag().equals("epoch_loss")).toList();
    assertEquals((float) epochs.get(1).loss(), epochLoss.get(1).value(), 0f);
    Path validationLog = EventFileReader.eventFiles(dir.resolve("logs/validation")).get(0);
    assertEquals((float) epochs.get(0).valAccuracy(), EventFileReader.scalars(validationLog).stream()
        .filter(p -> p.tag().equals("epoch_accuracy")).findFirst().orElseThrow().value(), 0f);
    assertTrue(Files.exists(recorder.runDir().resolve("config.json")));
  }
}
