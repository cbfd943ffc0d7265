package io.mnisttf.savedmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mnisttf.testing.ChildJava;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.mnisttf.savedmodel.internal.runtime.InProcessClassifier;
import io.mnisttf.testing.TestData;
import io.mnisttf.testing.TestModel;

/** Repeated use in one JVM: the same results, no native memory growth, closing on every path. */
class LongRunTest {
  @TempDir Path tmp;

  /** Evaluation speed is the benchmark's business; here: one loaded model gives the same answers every time. */
  @Test
  void repeatedEvaluationsOfOneLoadedModelGiveTheSameResults() throws Exception {
    Path dir = TestModel.ours().export(tmp.resolve("ours"));
    try (InProcessClassifier c = InProcessClassifier.open(dir, ClassifierOptions.DEFAULTS, TestData.train())) {
      Evaluation first = SavedModelEvaluator.evaluate(c, TestData.test());
      assertEquals(TestData.test().size(), first.examples());
      for (int i = 0; i < 2; i++) {
        Evaluation again = SavedModelEvaluator.evaluate(c, TestData.test());
        assertEquals(first.loss(), again.loss());
        assertEquals(first.accuracy(), again.accuracy());
        assertArrayEquals(first.predicted(), again.predicted());
        assertArrayEquals(first.confidence(), again.confidence());
      }
    }
  }

  @Test
  void closeIsIdempotentAndAClosedClassifierRefusesWork() throws Exception {
    Path dir = TestModel.linear().export(tmp.resolve("m"));
    InProcessClassifier c = InProcessClassifier.open(dir, ClassifierOptions.DEFAULTS.withCalibrationSamples(100),
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
    int rounds = 12;
    // A child JVM with a fixed, pre-touched heap: its resident set then moves with native memory only.
    ProcessBuilder child = new ProcessBuilder(ChildJava.command(
        List.of("-Xms192m", "-Xmx192m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC"), LeakProbe.class.getName(),
        good.toString(), failing.toString(), "4", Integer.toString(rounds)))
        .redirectErrorStream(true);
    child.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    Process process = child.start();
    String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "probe timed out");
    assertEquals(0, process.exitValue(), output);
    String line = output.lines().filter(l -> l.startsWith("resident_kb ")).findFirst().orElseThrow(
        () -> new AssertionError("no measurement in: " + output));
    String[] kb = line.split(" ");
    long grownMb = (Long.parseLong(kb[2]) - Long.parseLong(kb[1])) / 1024;
    System.out.printf("native memory grew %d MB over %d open/evaluate/close rounds (plus %d failing opens)%n",
        grownMb, rounds, rounds);
    // Leaking the input tensor of each batch (3 MB, 10 batches a round) made it grow by 101 MB here.
    assertTrue(grownMb < 40, "resident set grew " + grownMb + " MB: " + line);
  }
}
