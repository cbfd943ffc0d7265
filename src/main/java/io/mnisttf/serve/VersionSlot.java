package io.mnisttf.serve;

import java.nio.file.Path;

/**
 * One version of a model as the server tracks it (TF Serving's servable state): its state, the status of its
 * last transition, and, while it is available, the loaded {@link Servable} and the requests using it. A version
 * being unloaded takes no new request and is closed when the last one has finished.
 */
final class VersionSlot {
  /** TF Serving's {@code ModelVersionStatus.State}. */
  enum State { START, LOADING, AVAILABLE, UNLOADING, END }

  /**
   * What the status API reports for a version.
   *
   * @param error the code of a failed load, or {@link Code#OK}
   */
  record Status(long version, State state, Code error, String message) {}

  private final long version;
  private final Path dir;
  private State state = State.START;
  private Code error = Code.OK;
  private String message = "";
  private Servable servable;
  private int inFlight;
  private String fingerprint;
  private final Runnable onChange;

  /** {@code onChange} runs after every change of state (it must not call back into this slot's monitor users). */
  VersionSlot(long version, Path dir, Runnable onChange) {
    this.version = version;
    this.dir = dir;
    this.onChange = onChange;
  }

  long version() {
    return version;
  }

  Path dir() {
    return dir;
  }

  synchronized Status status() {
    return new Status(version, state, error, message);
  }

  synchronized State state() {
    return state;
  }

  synchronized boolean failed() {
    return state == State.END && error != Code.OK;
  }

  /** The folder's fingerprint when the load failed (a changed folder is tried again). */
  synchronized String failedFingerprint() {
    return fingerprint;
  }

  synchronized void loading() {
    state = State.LOADING;
    onChange.run();
  }

  /**
   * The version loaded and serves requests; {@code promote} runs before anyone is told (it makes this the version
   * that requests naming none get), so whoever sees it available also finds it served as the latest.
   */
  synchronized void available(Servable loaded, Runnable promote) {
    servable = loaded;
    state = State.AVAILABLE;
    promote.run();
    onChange.run();
  }

  synchronized void failed(ServingException e, String folderFingerprint) {
    state = State.END;
    error = e.code();
    message = e.getMessage();
    fingerprint = folderFingerprint;
    onChange.run();
  }

  /** A request starts using this version: its servable, or {@code null} when it is not available. */
  synchronized Servable acquire() {
    if (state != State.AVAILABLE) {
      return null;
    }
    inFlight++;
    return servable;
  }

  synchronized void release() {
    if (--inFlight == 0) {
      notifyAll();
    }
  }

  /**
   * Stops taking requests, waits (at most {@code timeoutMillis}) for those in flight to finish, then closes the
   * servable. Returns the number of requests still running when it gave up waiting (0 normally).
   */
  int unload(long timeoutMillis) throws InterruptedException {
    Servable toClose;
    int left;
    synchronized (this) {
      if (state != State.AVAILABLE) {
        return 0;
      }
      state = State.UNLOADING;
      onChange.run();
      long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
      while (inFlight > 0) {
        long waitMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (waitMillis <= 0) {
          break;
        }
        wait(waitMillis);
      }
      left = inFlight;
      toClose = servable;
      servable = null;
    }
    toClose.close();
    synchronized (this) {
      state = State.END;
      onChange.run();
    }
    return left;
  }
}
