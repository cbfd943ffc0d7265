package io.mnisttf.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BackgroundTaskTest {
  @Test
  void takeHandsOverTheResultAndCloseThenReleasesNothing() throws Exception {
    List<String> released = new CopyOnWriteArrayList<>();
    try (BackgroundTask<String> task = BackgroundTask.start("t", () -> "model", released::add)) {
      assertEquals("model", task.take());
    }
    assertEquals(List.of(), released);
  }

  @Test
  void secondsIsTheTimeFromStartToTheEndOfTheWork() throws Exception {
    AtomicLong clock = new AtomicLong(1_000_000_000L);
    CountDownLatch go = new CountDownLatch(1);
    try (BackgroundTask<String> task = BackgroundTask.start("t", () -> {
      go.await();
      clock.set(3_500_000_000L); // the work "took" 2.5 s on this clock
      return "model";
    }, value -> {}, clock::get)) {
      assertTrue(Double.isNaN(task.seconds()), "no duration while the work runs");
      go.countDown();
      assertEquals("model", task.take());
      clock.set(9_000_000_000L); // later readings of the clock change nothing
      assertEquals(2.5, task.seconds(), 1e-12);
    }
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
    task.close();
    // The work cannot end before go is counted down, below: close returned without waiting for it.
    assertFalse(task.isDone(), "close does not wait for the work");
    assertEquals(List.of(), released);
    go.countDown();
    assertTrue(releasedLatch.await(30, TimeUnit.SECONDS), "released when the work finished");
    assertEquals(List.of("late"), released);
  }

  @Test
  void aFinishedAbandonedResultIsReleasedAtOnceInTheClosingThread() throws Exception {
    List<Thread> releasedBy = new CopyOnWriteArrayList<>();
    BackgroundTask<String> done = BackgroundTask.start("t", () -> "ready", value -> releasedBy.add(
        Thread.currentThread()));
    done.awaitDone();
    assertEquals(List.of(), releasedBy, "not released while nobody has given it up");
    done.close();
    assertEquals(List.of(Thread.currentThread()), releasedBy);
    done.close();
    assertEquals(1, releasedBy.size(), "released once");
  }

  @Test
  void failuresAreRethrownAndReleaseNothing() {
    List<String> released = new CopyOnWriteArrayList<>();
    BackgroundTask<String> failing = BackgroundTask.start("t", () -> {
      throw new IOException("no native library");
    }, released::add);
    IOException e = assertThrows(IOException.class, failing::take);
    assertEquals("no native library", e.getMessage());
    failing.close();
    assertEquals(List.of(), released);
  }
}
