package io.mnisttf.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackgroundTaskTest {
  @Test
  void takeHandsOverTheResultAndCloseThenReleasesNothing() throws Exception {
    List<String> released = new CopyOnWriteArrayList<>();
    try (BackgroundTask<String> task = BackgroundTask.start("t", () -> "model", released::add)) {
      assertEquals("model", task.take());
      assertTrue(task.seconds() >= 0);
    }
    assertEquals(List.of(), released);
  }

  @Test
  void anAbandonedResultIsReleasedWhenTheWorkFinishesWithoutWaiting() throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch releasedLatch = new CountDownLatch(1);
    List<String> released = new CopyOnWriteArrayList<>();
    BackgroundTask<String> task = BackgroundTask.start("t", () -> {
      go.await();
      return "late";
    }, value -> {
      released.add(value);
      releasedLatch.countDown();
    });
    long start = System.nanoTime();
    task.close();
    assertTrue(System.nanoTime() - start < 1_000_000_000L, "close does not wait");
    assertEquals(List.of(), released);
    go.countDown();
    assertTrue(releasedLatch.await(5, TimeUnit.SECONDS));
    assertEquals(List.of("late"), released);
  }

  @Test
  void aFinishedAbandonedResultIsReleasedAtOnceAndFailuresAreRethrown() throws Exception {
    List<String> released = new CopyOnWriteArrayList<>();
    BackgroundTask<String> done = BackgroundTask.start("t", () -> "ready", released::add);
    Thread.sleep(50);
    done.close();
    assertEquals(List.of("ready"), released);
    BackgroundTask<String> failing = BackgroundTask.start("t", () -> {
      throw new IOException("no native library");
    }, released::add);
    IOException e = assertThrows(IOException.class, failing::take);
    assertEquals("no native library", e.getMessage());
    failing.close();
    assertEquals(List.of("ready"), released);
  }
}
