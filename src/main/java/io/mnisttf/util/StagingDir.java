package io.mnisttf.util;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A hidden folder in which a new model or checkpoint is written completely before one atomic rename
 * publishes it: {@code <parent>/.tmp-<pid>-<random>}. Tools that scan the parent (TensorFlow Serving looks
 * for numbered folders) never see it. Closing a folder that was not published deletes it; folders left
 * behind by a process that was killed are removed by {@link #removeAbandoned}. The whole write is a
 * {@link PendingFiles.Write}, so quitting at once waits for it or removes the folder.
 */
public final class StagingDir implements AutoCloseable {
  private static final String PREFIX = ".tmp-";

  private final Path path;
  private final PendingFiles.Write write;
  private boolean published;

  private StagingDir(Path path, PendingFiles.Write write) {
    this.path = path;
    this.write = write;
  }

  /** Creates a new, empty staging folder in {@code parent}, which must exist. */
  public static StagingDir create(Path parent) throws IOException {
    Path dir = parent.resolve(PREFIX + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()));
    PendingFiles.Write write = PendingFiles.process().begin();
    try {
      write.track(Files.createDirectory(dir));
    } catch (IOException | RuntimeException e) {
      write.close();
      throw e;
    }
    return new StagingDir(dir, write);
  }

  /** The folder to write into. */
  public Path path() {
    return path;
  }

  /** Renames the folder to {@code target} in one atomic step (which fails if the target exists). */
  public void publishAs(Path target) throws IOException {
    Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
    published = true;
  }

  /** Deletes the folder unless it was published. */
  @Override
  public void close() throws IOException {
    try {
      if (!published) {
        MoreFiles.deleteRecursively(path);
      }
    } finally {
      write.close();
    }
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
