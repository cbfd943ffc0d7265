package io.mnisttf.savedmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mnisttf.data.MnistData;
import io.mnisttf.testing.TestData;
import io.mnisttf.testing.TestModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One classifier shared by many threads, as a web service's request threads share one model: every call, of 1 to 3
 * images or a larger batch, gets exactly (bit for bit) the probabilities the same call gets in a single-threaded
 * run. (With one shared output buffer, 31 of 2 400 such calls once returned another call's probabilities,
 * silently.)
 */
class SharedClassifierTest {
  private static final int THREADS = 8;
  private static final int CALLS_PER_THREAD = 60;
  @TempDir Path tmp;

  private static float[] classify(Classifier classifier, float[] pixels, int[] call) throws SavedModelException {
    float[] images = new float[call[1] * MnistData.PIXELS];
    System.arraycopy(pixels, call[0] * MnistData.PIXELS, images, 0, images.length);
    return classifier.probabilities(images, call[1]);
  }

  @ParameterizedTest
  @EnumSource(ClassifierOptions.Isolation.class)
  void manyThreadsGetExactlyTheSingleThreadedAnswers(ClassifierOptions.Isolation isolation) throws Exception {
    Path dir = TestModel.ours().export(tmp.resolve("ours"));
    MnistData test = TestData.test().first(300);
    float[] pixels = new float[test.size() * MnistData.PIXELS];
    for (int i = 0; i < test.size(); i++) {
      test.copyScaled(i, pixels, i * MnistData.PIXELS);
    }
    List<List<int[]>> calls = new ArrayList<>(); // per thread: {from, count} of each call, mixed batch sizes
    for (int t = 0; t < THREADS; t++) {
      Random random = new Random(t);
      List<int[]> mine = new ArrayList<>();
      for (int call = 0; call < CALLS_PER_THREAD; call++) {
        int count = call % 10 == 0 ? 40 + random.nextInt(60) : 1 + random.nextInt(3);
        mine.add(new int[] {random.nextInt(test.size() - count), count});
      }
      calls.add(mine);
    }
    try (Classifier classifier = Classifiers.open(dir, ClassifierOptions.DEFAULTS.withIsolation(isolation)
        .withBatchSize(16))) {
      List<List<float[]>> alone = new ArrayList<>(); // the same calls, one after another on one thread
      for (List<int[]> mine : calls) {
        List<float[]> answers = new ArrayList<>();
        for (int[] call : mine) {
          answers.add(classify(classifier, pixels, call));
        }
        alone.add(answers);
      }
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> checked = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        checked.add(pool.submit(() -> {
          start.await();
          for (int c = 0; c < CALLS_PER_THREAD; c++) {
            int[] call = calls.get(thread).get(c);
            assertArrayEquals(alone.get(thread).get(c), classify(classifier, pixels, call),
                "thread " + thread + ", images " + call[0] + ".." + (call[0] + call[1] - 1));
          }
          return CALLS_PER_THREAD;
        }));
      }
      start.countDown();
      int done = 0;
      for (Future<Integer> f : checked) {
        done += f.get();
      }
      pool.shutdown();
      assertEquals(THREADS * CALLS_PER_THREAD, done);
    }
  }
}
