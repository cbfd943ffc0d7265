package io.mnisttf.util;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Temporary files and folders being written right now, before they are renamed into place. If the process
 * must end at once (a second Ctrl-C), {@link #deleteAll} removes them first, so that no partial file is
 * left behind; in normal operation each writer deletes or publishes its own and unregisters it.
 */
public final class PendingFiles {
  private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();

  private PendingFiles() {}

  /** Registers a temporary path about to be written. */
  public static void add(Path path) {
    PENDING.add(path.toAbsolutePath());
  }

  /** Unregisters a path that was published (renamed) or deleted. */
  public static void remove(Path path) {
    PENDING.remove(path.toAbsolutePath());
  }

  /** Deletes every registered path, best effort; returns how many were deleted. */
  public static int deleteAll() {
    int deleted = 0;
    for (Path path : Set.copyOf(PENDING)) {
      try {
        MoreFiles.deleteRecursively(path);
        deleted++;
      } catch (IOException | RuntimeException stillThere) {
        // best effort: the process is about to end
      }
      PENDING.remove(path);
    }
    return deleted;
  }
}
