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
    assertTrue(started.await(10, TimeUnit.SECONDS));

    CompletableFuture<Integer> quitting = CompletableFuture.supplyAsync(
        () -> pending.quitting(Duration.ofSeconds(30)), daemon());
    Thread.sleep(200);
    assertFalse(quitting.isDone(), "quitting must wait while a file is being written");
    finish.countDown();

    assertEquals(0, quitting.get(10, TimeUnit.SECONDS), "nothing left to delete");
    writer.get(10, TimeUnit.SECONDS);
    assertFalse(Files.exists(temp));
    assertEquals("whole", Files.readString(target));
  }

  @Test
  void aWriteThatOutlastsThePatienceHasItsTemporariesDeleted() throws Exception {
    Path staging = tmp.resolve(".tmp-staging");
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture.runAsync(() -> {
      try (PendingFiles.Write write = pending.begin()) {
        Files.createDirectory(write.track(staging));
        Files.writeString(staging.resolve("variables.index"), "partial");
        started.countDown();
        release.await();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, daemon());
    assertTrue(started.await(10, TimeUnit.SECONDS));
    try {
      long start = System.nanoTime();
      assertEquals(1, pending.quitting(Duration.ofMillis(100)));
      assertTrue((System.nanoTime() - start) / 1e9 < 5, "waits about the patience, not for the write");
      assertFalse(Files.exists(staging));
    } finally {
      release.countDown();
    }
  }

  @Test
  void noWriteStartsOnceQuittingHasBegun() throws Exception {
    assertEquals(0, pending.quitting(Duration.ofMillis(100)));
    CompletableFuture<Void> late = CompletableFuture.runAsync(() -> pending.begin().close(), daemon());
    Thread.sleep(200);
    assertFalse(late.isDone(), "a write that starts after quitting must block until the process ends");
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

  private static java.util.concurrent.Executor daemon() {
    return task -> {
      Thread thread = new Thread(task, "pending-files-test");
      thread.setDaemon(true);
      thread.start();
    };
  }
}
