package io.mnisttf.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PendingFilesTest {
  @TempDir
  Path tmp;

  private final PendingFiles pending = new PendingFiles();

  @Test
  void quittingWaitsForTheWriteInProgressToPublishItsFile() throws Exception {
    Path temp = tmp.resolve(".model.tmp");
    Path target = tmp.resolve("model");
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try (PendingFiles.Write write = pending.begin()) {
        Files.writeString(write.track(temp), "half");
        started.countDown();
        finish.await();
        Files.writeString(temp, "whole");
        Files.move(temp, target);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, daemon());
    assertTrue(started.await(30, TimeUnit.SECONDS));

    AtomicInteger deleted = new AtomicInteger(-1);
    Thread quitter = start(() -> deleted.set(pending.quitting(Duration.ofDays(1))));
    awaitWaitingOrEnded(quitter);
    assertTrue(pending.isWaiting(quitter), "quitting must wait while a file is being written");
    assertEquals(-1, deleted.get());
    finish.countDown();

    quitter.join();
    assertEquals(0, deleted.get(), "nothing left to delete");
    writer.get(30, TimeUnit.SECONDS);
    assertFalse(Files.exists(temp));
    assertEquals("whole", Files.readString(target));
  }

  @Test
  void aWriteThatOutlastsThePatienceHasItsTemporariesDeleted() throws Exception {
    Path staging = tmp.resolve(".tmp-staging");
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try (PendingFiles.Write write = pending.begin()) {
        Files.createDirectory(write.track(staging));
        Files.writeString(staging.resolve("variables.index"), "partial");
        started.countDown();
        release.await();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, daemon());
    assertTrue(started.await(30, TimeUnit.SECONDS));
    try {
      AtomicInteger deleted = new AtomicInteger(-1);
      Thread quitter = start(() -> deleted.set(pending.quitting(Duration.ofMillis(100))));
      quitter.join(TimeUnit.MINUTES.toMillis(1)); // a guard against a hang only: quitting takes its 0.1 s patience
      assertFalse(quitter.isAlive(), "quitting gave up waiting for a write that outlasts its patience");
      assertFalse(writer.isDone(), "the write is still running (it waits for the release latch)");
      assertEquals(1, deleted.get());
      assertFalse(Files.exists(staging));
    } finally {
      release.countDown();
    }
  }

  @Test
  void noWriteStartsOnceQuittingHasBegun() throws Exception {
    assertEquals(0, pending.quitting(Duration.ofMillis(100)));
    Thread late = start(() -> pending.begin().close());
    awaitWaitingOrEnded(late);
    assertTrue(pending.isWaiting(late), "a write that starts after quitting must block until the process ends");
  }

  @Test
  void aClosedWriteIsNoLongerTrackedAndClosingTwiceIsHarmless() throws Exception {
    Path kept = tmp.resolve("published");
    PendingFiles.Write write = pending.begin();
    Files.writeString(write.track(kept), "done");
    write.close();
    write.close();
    assertEquals(0, pending.quitting(Duration.ofMillis(100)));
    assertTrue(Files.exists(kept), "a finished write's file is not deleted");
  }

  @Test
  void aStagingFolderIsDeletedUnlessPublished() throws Exception {
    Path discarded;
    try (StagingDir staging = StagingDir.create(tmp)) {
      discarded = staging.path();
      Files.writeString(staging.path().resolve("saved_model.pb"), "x");
      assertTrue(discarded.getFileName().toString().startsWith(".tmp-" + ProcessHandle.current().pid() + "-"));
    }
    assertFalse(Files.exists(discarded));

    Path target = tmp.resolve("1");
    try (StagingDir staging = StagingDir.create(tmp)) {
      Files.writeString(staging.path().resolve("saved_model.pb"), "x");
      staging.publishAs(target);
    }
    assertEquals("x", Files.readString(target.resolve("saved_model.pb")));
    try (var entries = Files.list(tmp)) {
      assertEquals(java.util.List.of(target), entries.toList());
    }
  }

  /** Starts {@code work} on a daemon thread (left blocked, if need be, when the test ends). */
  private static Thread start(Runnable work) {
    Thread thread = new Thread(work, "pending-files-test");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * Waits until {@code thread} blocks on the pending files' lock or ends: a condition that a correct and a
   * broken implementation each reach in microseconds, whatever the machine's speed.
   */
  private void awaitWaitingOrEnded(Thread thread) {
    while (thread.isAlive() && !pending.isWaiting(thread)) {
      Thread.onSpinWait();
    }
  }

  private static java.util.concurrent.Executor daemon() {
    return PendingFilesTest::start;
  }

}
