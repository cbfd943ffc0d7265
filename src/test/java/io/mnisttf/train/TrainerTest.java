package io.mnisttf.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrainerTest {
  static MnistData.Split split;

  @BeforeAll
  static void loadData() throws Exception {
    split = Mnist.loadTrain(Mnist.DEFAULT_DIR).first(6_600).split(600, 42);
  }

  @Test
  void oneEpochOnSixThousandExamplesLearns() {
    List<Integer> steps = new ArrayList<>();
    List<BatchMetrics> batches = new ArrayList<>();
    TrainingListener stepCounter = new TrainingListener() {
      @Override
      public void onBatchEnd(BatchMetrics metrics) {
        steps.add(metrics.step());
        batches.add(metrics);
      }
    };
    try (Trainer trainer = new Trainer(TrainConfig.DEFAULTS.withEpochs(1))) {
      Metrics before = trainer.evaluate(split.validation());
      TrainingResult result = trainer.fit(split.train(), split.validation(), List.of(stepCounter));
      EpochMetrics epoch = result.epochs().get(0);
      assertEquals(60, steps.size(), "6000 examples in batches of 100");
      BatchMetrics last = batches.get(batches.size() - 1);
      assertEquals(epoch.loss(), last.epochLoss(), 1e-12, "the last step's running mean is the epoch's loss");
      assertEquals(epoch.accuracy(), last.epochAccuracy(), 1e-12);
      assertEquals(batches.get(0).loss(), batches.get(0).epochLoss(), 1e-6, "the first step's mean is its own loss");
      assertEquals(1, result.epochsRun());
      assertFalse(result.stoppedEarly());
      assertTrue(before.accuracy() < 0.3, "untrained: " + before);
      assertTrue(before.loss() > 1.9 && before.loss() < 2.8, "untrained loss near ln(10): " + before);
      assertTrue(epoch.valAccuracy() > 0.85, "learned: " + epoch);
      assertTrue(epoch.valLoss() < before.loss() / 3, "loss falls: " + before + " -> " + epoch);
      assertEquals(600, trainer.evaluate(split.validation()).examples());
      assertEquals(epoch.valAccuracy(), trainer.evaluate(split.validation()).accuracy(), 1e-9);
    }
  }

  /**
   * Work a listener runs through {@link TrainingContext#untimed} is left out of the training time; the same work
   * run directly counts (the control). The work is 0.3 s of computing after each of 2 epochs of 10 steps.
   */
  @Test
  void untimedListenerWorkIsLeftOutOfTheTrainingTime() {
    MnistData train = split.train().first(1_000);
    for (boolean untimed : new boolean[] {true, false}) {
      TrainingListener measuring = new TrainingListener() {
        @Override
        public void onEpochEnd(EpochMetrics metrics, TrainingContext context) {
          if (untimed) {
            context.untimed(TrainerTest::computeForThreeTenthsOfASecond);
          } else {
            computeForThreeTenthsOfASecond();
          }
        }
      };
      try (Trainer trainer = new Trainer(TrainConfig.DEFAULTS.withEpochs(2))) {
        TrainingResult result = trainer.fit(train, split.validation(), List.of(measuring));
        if (untimed) {
          assertTrue(result.trainSeconds() < 0.6, "the 0.6 s of listener work left out: " + result.trainSeconds());
        } else {
          assertTrue(result.trainSeconds() >= 0.6, "listener work counts: " + result.trainSeconds());
        }
        assertEquals(2_000 / result.trainSeconds(), result.samplesPerSecond(), 1e-9 * result.samplesPerSecond());
      }
    }
  }

  /**
   * With a moving average of the weights, the weights train exactly as without one, and at each epoch's end the
   * average (bias-corrected: of every step's weights, the initial ones left out) is what the epoch validates and
   * what listeners see.
   */
  @Test
  void aMovingAverageIsValidatedAndKeptWhileTheWeightsTrainExactlyAsWithout() {
    float momentum = 0.9f;
    MnistData train = split.train().first(1_000);
    List<List<float[]>> plainSteps = new ArrayList<>();
    try (Trainer trainer = new Trainer(TrainConfig.DEFAULTS.withEpochs(2))) {
      trainer.fit(train, split.validation(), List.of(recordingSteps(plainSteps)));
    }
    List<List<float[]>> averagedSteps = new ArrayList<>();
    TrainConfig averaged = TrainConfig.DEFAULTS.withEpochs(2)
        .withAdam(io.mnisttf.model.AdamConfig.DEFAULTS.withEmaMomentum(momentum));
    try (Trainer trainer = new Trainer(averaged)) {
      List<float[]> expected = copy(trainer.snapshotWeights().values());
      List<String> checked = new ArrayList<>();
      TrainingListener checking = new TrainingListener() {
        @Override
        public void onBatchEnd(BatchMetrics metrics) {
          moveAverage(expected, averagedSteps.get(averagedSteps.size() - 1), momentum, averagedSteps.size());
        }

        @Override
        public void onEpochEnd(EpochMetrics metrics, TrainingContext context) {
          assertWeightsClose(expected, context.snapshotWeights().values(), "epoch " + metrics.epoch());
          assertEquals(metrics.valLoss(), trainer.evaluate(split.validation()).loss(), 1e-6, "the average validated");
          checked.add("epoch " + metrics.epoch());
        }
      };
      trainer.fit(train, split.validation(), List.of(recordingSteps(averagedSteps), checking));
      assertEquals(List.of("epoch 1", "epoch 2"), checked);
    }
    assertEquals(20, plainSteps.size());
    for (int step = 0; step < plainSteps.size(); step++) {
      assertArrayEquals(plainSteps.get(step).toArray(), averagedSteps.get(step).toArray(),
          "step " + (step + 1) + ": the same weights bit for bit");
    }
  }

  /** Stopped within an epoch, a trainer with a moving average is left holding the average of the steps so far. */
  @Test
  void stoppedWithinAnEpochTheAverageOfTheStepsSoFarIsLeft() {
    float momentum = 0.9f;
    List<List<float[]>> steps = new ArrayList<>();
    TrainConfig averaged = TrainConfig.DEFAULTS.withEpochs(2)
        .withAdam(io.mnisttf.model.AdamConfig.DEFAULTS.withEmaMomentum(momentum));
    try (Trainer trainer = new Trainer(averaged)) {
      List<float[]> expected = copy(trainer.snapshotWeights().values());
      TrainingListener stopping = new TrainingListener() {
        @Override
        public void onBatchEnd(BatchMetrics metrics) {
          moveAverage(expected, steps.get(steps.size() - 1), momentum, steps.size());
          if (metrics.epoch() == 2 && metrics.step() == 4) {
            trainer.stopAfterCurrentStep();
          }
        }
      };
      TrainingResult result = trainer.fit(split.train().first(1_000), split.validation(),
          List.of(recordingSteps(steps), stopping));
      assertTrue(result.interrupted());
      assertEquals(14, steps.size(), "10 steps of epoch 1 and 4 of epoch 2");
      assertWeightsClose(expected, trainer.snapshotWeights().values(), "left after the stop");
    }
  }

  /**
   * Step {@code t} (1-based) of the bias-corrected average: {@code average -= rate * (average - weights)} for every
   * tensor, in float as the graph does, with {@code rate = (1 - momentum) / (1 - momentum^t)}.
   */
  private static void moveAverage(List<float[]> average, List<float[]> weights, float momentum, int t) {
    float rate = (float) ((1 - (double) momentum) / (1 - Math.pow(momentum, t)));
    for (int i = 0; i < average.size(); i++) {
      float[] a = average.get(i);
      for (int k = 0; k < a.length; k++) {
        a[k] -= (a[k] - weights.get(i)[k]) * rate;
      }
    }
  }

  /** Every value of {@code actual} within 1e-6 of {@code expected}'s. */
  private static void assertWeightsClose(List<float[]> expected, List<float[]> actual, String when) {
    for (int i = 0; i < expected.size(); i++) {
      for (int k = 0; k < expected.get(i).length; k++) {
        assertEquals(expected.get(i)[k], actual.get(i)[k], 1e-6, when + ", weight " + i + "[" + k + "]");
      }
    }
  }

  /** Records the weights after every step (a copy of each tensor). */
  private static TrainingListener recordingSteps(List<List<float[]>> steps) {
    return new TrainingListener() {
      private TrainingContext context;

      @Override
      public void onTrainBegin(TrainingContext c) {
        context = c;
      }

      @Override
      public void onBatchEnd(BatchMetrics metrics) {
        steps.add(copy(context.snapshotWeights().values()));
      }
    };
  }

  private static List<float[]> copy(List<float[]> values) {
    return values.stream().map(float[]::clone).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
  }

  /** Untimed work within untimed work is left out once, not twice. */
  @Test
  void nestedUntimedWorkIsLeftOutOnce() {
    FitContext context = new FitContext(1, 1, new java.util.ArrayList<>(), null);
    long hash = context.untimed(() -> context.untimed(TrainerTest::computeForThreeTenthsOfASecond));
    assertTrue(hash != 0);
    assertTrue(context.untimedNanos() >= 300_000_000L && context.untimedNanos() < 450_000_000L,
        "0.3 s of work counted once: " + context.untimedNanos() / 1e9);
  }

  /** Hashes numbers until 0.3 s have passed on the monotonic clock; returns the hash. */
  private static Long computeForThreeTenthsOfASecond() {
    long end = System.nanoTime() + 300_000_000L;
    long hash = 17;
    while (System.nanoTime() < end) {
      hash = hash * 31 + (hash >>> 7);
    }
    return hash;
  }

  @Test
  void snapshotAndRestoreRoundTrip() {
    try (Trainer trainer = new Trainer(TrainConfig.DEFAULTS.withEpochs(1))) {
      WeightSnapshot initial = trainer.snapshotWeights();
      Metrics untrained = trainer.evaluate(split.validation());
      trainer.fit(split.train(), split.validation(), List.of());
      assertEveryTensorChanged(initial, trainer.snapshotWeights());
      trainer.restoreWeights(initial);
      assertSameWeights(initial, trainer.snapshotWeights());
      assertEquals(untrained.loss(), trainer.evaluate(split.validation()).loss(), 1e-9);
      assertEquals(List.of("dense_1_kernel", "dense_1_bias", "dense_2_kernel", "dense_2_bias", "dense_3_kernel",
          "dense_3_bias"), initial.names());
    }
  }

  @Test
  void sameSeedGivesBitIdenticalTraining() {
    MnistData small = split.train().first(1_000);
    WeightSnapshot[] runs = new WeightSnapshot[2];
    double[] losses = new double[2];
    for (int run = 0; run < 2; run++) {
      try (Trainer trainer = new Trainer(TrainConfig.DEFAULTS.withEpochs(2))) {
        TrainingResult result = trainer.fit(small, split.validation(), List.of());
        runs[run] = trainer.snapshotWeights();
        losses[run] = result.epochs().get(1).valLoss();
      }
    }
    assertSameWeights(runs[0], runs[1]);
    assertEquals(losses[0], losses[1]);
  }

  @Test
  void warmingUpChangesNothing() {
    MnistData small = split.train().first(1_000);
    WeightSnapshot[] weights = new WeightSnapshot[2];
    double[] losses = new double[2];
    for (int run = 0; run < 2; run++) {
      try (Trainer trainer = new Trainer(TrainConfig.DEFAULTS.withEpochs(2))) {
        if (run == 1) {
          trainer.warmUp();
        }
        TrainingResult result = trainer.fit(small, split.validation(), List.of());
        weights[run] = trainer.snapshotWeights();
        losses[run] = result.epochs().get(1).valLoss();
      }
    }
    assertSameWeights(weights[0], weights[1]);
    assertEquals(losses[0], losses[1]);
  }

  @Test
  void aListenerCanStopTrainingAfterAnEpoch() {
    TrainingListener stopper = new TrainingListener() {
      @Override
      public void onEpochEnd(EpochMetrics metrics, TrainingContext context) {
        context.requestStop("enough");
      }
    };
    try (Trainer trainer = new Trainer(TrainConfig.DEFAULTS.withEpochs(5))) {
      TrainingResult result = trainer.fit(split.train().first(500), split.validation(), List.of(stopper));
      assertEquals(1, result.epochsRun());
      assertEquals("enough", result.stopReason());
      assertEquals(500, result.samplesTrained(), "one epoch of 500 examples");
    }
  }

  /** All six tensors (kernels and biases of the three layers) equal, bit for bit. */
  private static void assertSameWeights(WeightSnapshot expected, WeightSnapshot actual) {
    assertEquals(6, expected.names().size(), expected.names().toString());
    assertEquals(expected.names(), actual.names());
    for (int i = 0; i < expected.names().size(); i++) {
      assertArrayEquals(expected.shapes().get(i), actual.shapes().get(i), expected.names().get(i));
      assertArrayEquals(expected.values().get(i), actual.values().get(i), expected.names().get(i));
    }
  }

  /** Every one of the six tensors has changed (the zero-initialised biases included). */
  private static void assertEveryTensorChanged(WeightSnapshot before, WeightSnapshot after) {
    assertEquals(6, before.names().size(), before.names().toString());
    assertEquals(before.names(), after.names());
    for (int i = 0; i < before.names().size(); i++) {
      assertFalse(Arrays.equals(before.values().get(i), after.values().get(i)), before.names().get(i) + " trained");
    }
  }

  @Test
  void aSecondFitTrainsAgainFromTheCurrentWeights() {
    MnistData small = split.train().first(500);
    try (Trainer trainer = new Trainer(TrainConfig.DEFAULTS.withEpochs(1))) {
      trainer.stopAfterCurrentStep(); // a stop asked for before or during an earlier fit does not carry over
      TrainingResult first = trainer.fit(small, split.validation(), List.of());
      assertTrue(first.interrupted());
      WeightSnapshot afterFirst = trainer.snapshotWeights();
      TrainingResult second = trainer.fit(small, split.validation(), List.of());
      assertEquals(1, second.epochsRun(), "the second fit runs its own epochs");
      assertFalse(second.interrupted());
      assertEquals(1, second.epochs().get(0).epoch());
      for (int i = 0; i < afterFirst.values().size(); i++) {
        assertFalse(Arrays.equals(afterFirst.values().get(i), trainer.snapshotWeights().values().get(i)),
            "variable " + afterFirst.names().get(i) + " trained");
      }
    }
  }

  @Test
  void aLossThatIsNotFiniteStopsTrainingAtOnceAsKerasTerminateOnNaN() {
    List<Integer> steps = new ArrayList<>();
    TrainingListener stepCounter = new TrainingListener() {
      @Override
      public void onBatchEnd(BatchMetrics metrics) {
        steps.add(metrics.step());
      }
    };
    TrainConfig exploding = TrainConfig.DEFAULTS.withEpochs(3)
        .withAdam(io.mnisttf.model.AdamConfig.DEFAULTS.withLearningRate(1e10f));
    try (Trainer trainer = new Trainer(exploding)) {
      TrainingResult result = trainer.fit(split.train().first(3_000), split.validation(), List.of(stepCounter));
      assertTrue(result.diverged(), result.toString());
      assertTrue(result.stoppedEarly());
      assertTrue(result.stopReason().matches("training loss is (nan|inf|-inf) at epoch \\d+, step \\d+"),
          result.stopReason());
      assertTrue(steps.size() < 90, "stopped at the step whose loss was not finite, not after 3 epochs: " + steps.size());
      assertTrue(result.epochs().stream().allMatch(e -> Double.isFinite(e.loss())),
          "the diverged epoch is not reported as completed: " + result.epochs());
    }
  }
}
