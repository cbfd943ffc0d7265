package io.mnisttf.util;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Writes of temporary files and folders that are renamed into place when complete, and the one way to quit
 * the process at once without leaving any of them behind.
 *
 * <p>Every such write runs inside a {@link Write}. {@link #quitting} (for a second Ctrl-C) first waits for
 * the writes in progress to finish, each publishing or deleting its own temporary files, and blocks any
 * new write from starting; only if a write takes longer than the given patience does it delete the
 * registered temporaries itself. Deleting them while their writer still runs would not do: TensorFlow's
 * save op recreates the folder it writes into.
 */
public final class PendingFiles {
  private static final PendingFiles PROCESS = new PendingFiles();

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Set<Path> registered = ConcurrentHashMap.newKeySet();

  PendingFiles() {}

  /** The writes of this process. */
  public static PendingFiles process() {
    return PROCESS;
  }

  /** Starts a write; blocks for good once {@link #quitting} has been called. */
  public Write begin() {
    lock.readLock().lock();
    return new Write();
  }

  /**
   * Prepares to end the process: waits up to {@code patience} for the writes in progress, keeps any new one
   * from starting (for good: call this only right before halting), and deletes the temporaries of writes that
   * are still running. Returns how many were deleted.
   */
  public int quitting(Duration patience) {
    try {
      lock.writeLock().tryLock(patience.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int deleted = 0;
    for (Path path : List.copyOf(registered)) {
      try {
        MoreFiles.deleteRecursively(path);
        deleted++;
      } catch (IOException | RuntimeException stillThere) {
        // best effort: the process is about to end
      }
    }
    return deleted;
  }

  /** Whether {@code thread} is waiting in {@link #begin} or {@link #quitting} (for tests). */
  boolean isWaiting(Thread thread) {
    return lock.hasQueuedThread(thread);
  }

  /**
   * One write in progress. Its owner registers each temporary path it creates and, before closing, publishes
   * (renames) or deletes it. Quitting waits for the write while it is open, so registering right after creating
   * leaves no gap.
   */
  public final class Write implements AutoCloseable {
    private final List<Path> paths = new ArrayList<>();
    private boolean closed;

    private Write() {}

    /** Registers a temporary path of this write; returns it. */
    public Path track(Path path) {
      Path absolute = path.toAbsolutePath();
      paths.add(absolute);
      registered.add(absolute);
      return path;
    }

    /** Ends the write: its paths are no longer this object's concern. */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      registered.removeAll(paths);
      lock.readLock().unlock();
    }
  }
}
