package io.mnisttf.util;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Work started on its own daemon thread so that the caller can do something else meanwhile, with a result
 * that needs closing. {@link #take} hands the result over; if it is never taken (the caller failed first),
 * {@link #close} gives it up without waiting: the result is released as soon as the work finishes, so the
 * caller can report its own failure at once and nothing is left open.
 *
 * @param <T> the result type
 */
public final class BackgroundTask<T> implements AutoCloseable {
  private final CompletableFuture<T> future = new CompletableFuture<>();
  private final Consumer<T> release;
  private final long startNanos = System.nanoTime();
  private volatile long endNanos;
  private boolean taken;
  private boolean abandoned;
  private boolean released;

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
      task.releaseIfAbandoned();
    }, name);
    thread.setDaemon(true);
    thread.start();
    return task;
  }

  /** Waits for the result and takes ownership of it; rethrows what the work threw. */
  public T take() throws Exception {
    try {
      T result = future.join();
      synchronized (this) {
        taken = true;
      }
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

  /** Gives the result up if nobody took it: released now if ready, else when the work finishes. */
  @Override
  public synchronized void close() {
    if (!taken) {
      abandoned = true;
      releaseIfAbandoned();
    }
  }

  private synchronized void releaseIfAbandoned() {
    if (abandoned && !released && future.isDone() && !future.isCompletedExceptionally()) {
      released = true;
      release.accept(future.join());
    }
  }
}
