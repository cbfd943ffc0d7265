package io.mnisttf.savedmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Repeated use in one JVM: speed after loading, no native memory growth, closing on every path. */
class LongRunTest {
  @TempDir Path tmp;

  @Test
  void evaluatesOurExportQuicklyAfterLoading() throws Exception {
    Path dir = TestModel.ours().export(tmp.resolve("ours"));
    try (MnistClassifier c = MnistClassifier.open(dir, ClassifierOptions.DEFAULTS, TestData.train())) {
      SavedModelEvaluator.evaluate(c, TestData.test()); // warm-up: first runs allocate and optimise
      double best = Double.MAX_VALUE;
      for (int i = 0; i < 3; i++) {
        best = Math.min(best, SavedModelEvaluator.evaluate(c, TestData.test()).seconds());
      }
      System.out.printf("our export: load %.3fs, calibration %.3fs, evaluation of 10000 images %.3fs (best of 3)%n",
          c.loadSeconds(), c.calibration().seconds(), best);
      assertTrue(best < 0.3, "evaluation took " + best + "s after loading; the target is 0.3s");
    }
  }

  @Test
  void closeIsIdempotentAndAClosedClassifierRefusesWork() throws Exception {
    Path dir = TestModel.linear().export(tmp.resolve("m"));
    MnistClassifier c = MnistClassifier.open(dir, ClassifierOptions.DEFAULTS.withCalibrationSamples(100),
        TestData.train());
    float[] pixels = new float[784];
    assertEquals(10, c.probabilities(pixels, 1).length);
    c.close();
    c.close();
    assertThrows(IllegalStateException.class, () -> c.probabilities(pixels, 1));
  }

  @Test
  void nativeMemoryDoesNotGrowWithRepeatedEvaluations() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux /proc to read the resident set");
    Path good = TestModel.ours().export(tmp.resolve("ours"));
    Path failing = TestModel.ours().with(m -> m.failsAtRunTime = true).export(tmp.resolve("failing"));
    ClassifierOptions options = ClassifierOptions.DEFAULTS.withCalibrationSamples(200);
    for (int i = 0; i < 4; i++) { // warm-up: thread pools, kernels, allocator arenas
      roundTrip(good, failing, options);
    }
    long before = nativeKb();
    int rounds = 12;
    for (int i = 0; i < rounds; i++) {
      roundTrip(good, failing, options);
    }
    long grownMb = (nativeKb() - before) / 1024;
    System.out.printf("memory outside the Java heap grew %d MB over %d open/evaluate/close rounds"
        + " (plus %d failing opens)%n", grownMb, rounds, rounds);
    // One leaked input tensor per batch would be 10 x 3 MB per round: 370 MB over these rounds.
    assertTrue(grownMb < 60, "memory outside the Java heap grew " + grownMb + " MB");
  }

  private static void roundTrip(Path good, Path failing, ClassifierOptions options) throws Exception {
    try (MnistClassifier c = MnistClassifier.open(good, options, TestData.train())) {
      SavedModelEvaluator.evaluate(c, TestData.test());
    }
    assertThrows(SavedModelException.class, () -> MnistClassifier.open(failing, options, TestData.train()));
  }

  /** The resident set minus the committed Java heap (which the collector grows and shrinks), in KiB. */
  private static long nativeKb() throws Exception {
    System.gc();
    System.gc();
    long heapKb = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1024;
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) - heapKb;
      }
    }
    throw new IllegalStateException("no VmRSS line");
  }
}
