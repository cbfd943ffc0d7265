package io.mnisttf.util;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Work started on its own daemon thread so that the caller can do something else meanwhile, with a result
 * that needs closing. {@link #take} hands the result over; if it is never taken (the caller failed first),
 * {@link #close} waits for the work to finish and releases the result, so nothing native is left open and
 * the process never exits in the middle of it.
 *
 * @param <T> the result type
 */
public final class BackgroundTask<T> implements AutoCloseable {
  private final CompletableFuture<T> future = new CompletableFuture<>();
  private final Consumer<T> release;
  private final long startNanos = System.nanoTime();
  private volatile long endNanos;
  private boolean taken;

  private BackgroundTask(Consumer<T> release) {
    this.release = release;
  }

  /** Starts {@code work} on a new daemon thread named {@code name}. */
  public static <T> BackgroundTask<T> start(String name, Callable<T> work, Consumer<T> release) {
    BackgroundTask<T> task = new BackgroundTask<>(release);
    Thread thread = new Thread(() -> {
      try {
        T result = work.call();
        task.endNanos = System.nanoTime();
        task.future.complete(result);
      } catch (Throwable t) {
        task.endNanos = System.nanoTime();
        task.future.completeExceptionally(t);
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return task;
  }

  /** Waits for the result and takes ownership of it; rethrows what the work threw. */
  public T take() throws Exception {
    try {
      T result = future.join();
      taken = true;
      return result;
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  /** Seconds the work took (valid once it has finished). */
  public double seconds() {
    return (endNanos - startNanos) / 1e9;
  }

  /** Releases the result if nobody took it, after waiting for the work to end. */
  @Override
  public void close() {
    if (taken) {
      return;
    }
    try {
      T result = future.join();
      taken = true;
      release.accept(result);
    } catch (CompletionException failedAnyway) {
      // nothing to release
    }
  }
}
