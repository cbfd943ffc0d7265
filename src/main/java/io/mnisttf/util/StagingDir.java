package io.mnisttf.util;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A hidden folder in which a new model or checkpoint is written completely before one atomic rename
 * publishes it: {@code <parent>/.tmp-<pid>-<random>}. Tools that scan the parent (TensorFlow Serving looks
 * for numbered folders) never see it. Folders left behind by a process that was killed are removed by
 * {@link #removeAbandoned}.
 */
public final class StagingDir {
  private static final String PREFIX = ".tmp-";

  private StagingDir() {}

  /** Creates a new, empty staging folder in {@code parent} (which must exist) and registers it as pending. */
  public static Path create(Path parent) throws IOException {
    Path dir = parent.resolve(PREFIX + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()));
    Files.createDirectory(dir);
    PendingFiles.add(dir);
    return dir;
  }

  /** Deletes a staging folder that will not be published. */
  public static void discard(Path dir) throws IOException {
    try {
      MoreFiles.deleteRecursively(dir);
    } finally {
      PendingFiles.remove(dir);
    }
  }

  /** Marks a staging folder as published (it has been renamed to its final name). */
  public static void published(Path dir) {
    PendingFiles.remove(dir);
  }

  /** Removes staging folders in {@code parent} whose process no longer runs. */
  public static void removeAbandoned(Path parent) throws IOException {
    if (!Files.isDirectory(parent)) {
      return;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, PREFIX + "*")) {
      for (Path entry : entries) {
        String rest = entry.getFileName().toString().substring(PREFIX.length());
        int dash = rest.indexOf('-');
        if (dash <= 0) {
          continue;
        }
        try {
          long pid = Long.parseLong(rest.substring(0, dash));
          if (ProcessHandle.of(pid).isEmpty()) {
            MoreFiles.deleteRecursively(entry);
          }
        } catch (NumberFormatException notOurs) {
          // leave folders we did not name
        }
      }
    }
  }
}
