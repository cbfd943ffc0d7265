package io.mnisttf.util;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * File writes done one after the other, in the order they were queued, on a background thread, so that the thread
 * that queues them (a training loop) does not wait for the disk. The first write that fails stops the ones queued
 * after it, and its exception is thrown by the next {@link #submit} or {@link #await}. The thread is a daemon and
 * ends after a second without work, so writes that nobody awaits (a caller that failed first) still finish and leave
 * nothing running.
 */
public final class SerialWrites {
  /** One write. */
  @FunctionalInterface
  public interface Write {
    void run() throws IOException;
  }

  private final ThreadPoolExecutor thread;
  private Future<?> last = CompletableFuture.completedFuture(null);
  private volatile Exception failure;

  /** Writes will run on a thread named {@code threadName}. */
  public SerialWrites(String threadName) {
    thread = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), work -> {
      Thread t = new Thread(work, threadName);
      t.setDaemon(true);
      return t;
    });
    thread.allowCoreThreadTimeOut(true);
  }

  /**
   * Queues {@code write} after the writes queued before it; returns at once.
   *
   * @throws IOException an earlier write's failure (then {@code write} is not queued)
   */
  public synchronized void submit(Write write) throws IOException {
    rethrow();
    last = thread.submit(() -> {
      if (failure == null) {
        try {
          write.run();
        } catch (IOException | RuntimeException e) {
          failure = e;
        }
      }
    });
  }

  /**
   * Waits until every queued write is done.
   *
   * @throws IOException the first write's failure; an {@link InterruptedIOException} if this thread is interrupted
   */
  public void await() throws IOException {
    Future<?> pending;
    synchronized (this) {
      pending = last;
    }
    try {
      pending.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for files to be written");
    } catch (ExecutionException e) { // the task catches what a write throws: only an Error gets here
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    }
    rethrow();
  }

  private void rethrow() throws IOException {
    Exception e = failure;
    if (e instanceof IOException io) {
      throw io;
    }
    if (e instanceof RuntimeException runtime) {
      throw runtime;
    }
  }
}
