package io.mnisttf.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CNN in the trainer, on 600 images: it learns, its validation images are never augmented, and with two
 * threads, augmented images and dropout it still repeats itself bit for bit, also when resumed after an epoch.
 */
class CnnTrainingTest {
  static MnistData.Split split;

  @BeforeAll
  static void loadData() throws Exception {
    split = Mnist.loadTrain(Mnist.DEFAULT_DIR).first(600).split(100, 42);
  }

  @Test
  void resumedAfterAnEpochItTrainsTheUninterruptedRunsWeightsBitForBit(@TempDir Path tmp) throws Exception {
    assertEquals(2, TrainConfig.CNN_DEFAULTS.threads());
    assertTrue(TrainConfig.CNN_DEFAULTS.augmentation().enabled());
    assertTrue(TrainConfig.CNN_DEFAULTS.adam().averaged(), "resumed with its moving average of the weights");
    WeightSnapshot straight;
    TrainingResult whole;
    try (Trainer trainer = new Trainer(TrainConfig.CNN_DEFAULTS.withEpochs(2))) {
      WeightSnapshot initial = trainer.snapshotWeights();
      whole = trainer.fit(split, List.of());
      straight = trainer.snapshotWeights();
      EpochMetrics last = whole.epochs().get(1);
      assertEquals(last.valLoss(), trainer.evaluate(split.validation()).loss(), 1e-6,
          "validated on the images as they are, as the fed (never augmented) path scores them");
      assertTrue(last.valLoss() < whole.epochs().get(0).valLoss(), "it learns: " + whole.epochs());
      assertTrue(!java.util.Arrays.equals(initial.values().get(0), straight.values().get(0)));
    }
    Path checkpoint = Files.createDirectories(tmp.resolve("epoch-1")).resolve("variables");
    List<EpochMetrics> first;
    try (Trainer trainer = new Trainer(TrainConfig.CNN_DEFAULTS.withEpochs(1))) {
      first = trainer.fit(split, List.of()).epochs();
      trainer.saveCheckpoint(checkpoint);
    }
    assertEquals(whole.epochs().get(0), withSeconds(first.get(0), whole.epochs().get(0).seconds()),
        "the same first epoch, run again");
    try (Trainer trainer = new Trainer(TrainConfig.CNN_DEFAULTS.withEpochs(2))) {
      trainer.resume(checkpoint, first);
      TrainingResult resumed = trainer.fit(split, List.of());
      assertEquals(2, resumed.epochsRun());
      EpochMetrics second = resumed.epochs().get(1);
      assertEquals(whole.epochs().get(1), withSeconds(second, whole.epochs().get(1).seconds()));
      WeightSnapshot weights = trainer.snapshotWeights();
      for (int i = 0; i < straight.values().size(); i++) {
        assertArrayEquals(straight.values().get(i), weights.values().get(i), straight.names().get(i));
      }
    }
  }

  private static EpochMetrics withSeconds(EpochMetrics m, double seconds) {
    return new EpochMetrics(m.epoch(), m.loss(), m.accuracy(), m.valLoss(), m.valAccuracy(), seconds);
  }
}
