package io.mnisttf.util;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

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
  private final LongSupplier nanoClock;
  private final long startNanos;
  private volatile long endNanos;
  private boolean taken;
  private boolean abandoned;
  private boolean released;

  private BackgroundTask(Consumer<T> release, LongSupplier nanoClock) {
    this.release = release;
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
  }

  /**
   * Starts {@code work} on a new daemon thread named {@code name}; {@code release} closes a result that
   * nobody took.
   */
  public static <T> BackgroundTask<T> start(String name, Callable<T> work, Consumer<T> release) {
    return start(name, work, release, System::nanoTime);
  }

  /** As {@link #start(String, Callable, Consumer)}, timed by {@code nanoClock} (for tests). */
  static <T> BackgroundTask<T> start(String name, Callable<T> work, Consumer<T> release, LongSupplier nanoClock) {
    BackgroundTask<T> task = new BackgroundTask<>(release, nanoClock);
    Thread thread = new Thread(() -> {
      try {
        T result = work.call();
        task.endNanos = nanoClock.getAsLong();
        task.future.complete(result);
      } catch (Throwable t) {
        task.endNanos = nanoClock.getAsLong();
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

  /**
   * As {@link #take}, for work that throws only {@link java.io.IOException}s and unchecked exceptions: those are
   * rethrown as they are (any other checked exception, which such work cannot throw, as an
   * {@link IllegalStateException}).
   */
  public T takeIo() throws java.io.IOException {
    try {
      return take();
    } catch (java.io.IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Seconds the work took, from {@link #start} to its end; NaN while it is still running. */
  public double seconds() {
    return future.isDone() ? (endNanos - startNanos) / 1e9 : Double.NaN;
  }

  /** Whether the work has finished, with a result or a failure. */
  boolean isDone() {
    return future.isDone();
  }

  /** Waits until the work has finished, without taking the result (for tests). */
  void awaitDone() {
    future.handle((result, failure) -> null).join();
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
