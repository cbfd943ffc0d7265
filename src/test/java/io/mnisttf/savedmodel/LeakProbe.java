package io.mnisttf.savedmodel;

import java.nio.file.Files;
import java.nio.file.Path;
import io.mnisttf.savedmodel.internal.runtime.InProcessClassifier;
import io.mnisttf.testing.TestData;

/**
 * Run in a child JVM by {@link LongRunTest} with a fixed, pre-touched heap, so that the resident set only
 * moves with native memory: opens, evaluates and closes a model (and opens a model that fails at run time)
 * over and over, and prints the resident set after the warm-up and at the end.
 *
 * <p>Arguments: good model folder, failing model folder, warm-up rounds, measured rounds.
 */
public final class LeakProbe {
  private LeakProbe() {}

  public static void main(String[] args) throws Exception {
    Path good = Path.of(args[0]);
    Path failing = Path.of(args[1]);
    int warmUp = Integer.parseInt(args[2]);
    int rounds = Integer.parseInt(args[3]);
    ClassifierOptions options = ClassifierOptions.DEFAULTS.withCalibrationSamples(200);
    for (int i = 0; i < warmUp; i++) {
      round(good, failing, options);
    }
    long before = residentKb();
    for (int i = 0; i < rounds; i++) {
      round(good, failing, options);
    }
    System.out.println("resident_kb " + before + " " + residentKb());
  }

  private static void round(Path good, Path failing, ClassifierOptions options) throws Exception {
    try (InProcessClassifier c = InProcessClassifier.open(good, options, TestData.train())) {
      SavedModelEvaluator.evaluate(c, TestData.test());
    }
    try {
      InProcessClassifier.open(failing, options, TestData.train()).close();
      throw new IllegalStateException("the failing model opened");
    } catch (SavedModelException expected) {
      // every call fails: the bundle must be closed on this path too
    }
  }

  static long residentKb() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS line");
  }
}
