package io.mnisttf.runs;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Names and creates run folders: {@code <root>/<yyyyMMdd-HHmmss>}, then {@code -2}, {@code -3}, ... if taken. */
public final class RunFolders {
  /** Where runs go unless configured otherwise: {@code runs/} in the working folder. */
  public static final Path DEFAULT_ROOT = Path.of("runs");
  /** Local-time stamp of a run folder, e.g. {@code 20261128-153012}. */
  public static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private static final int MAX_SUFFIX = 10_000;

  private RunFolders() {}

  /**
   * Creates and returns a new, empty folder {@code <root>/<stamp of time>} (the root is created if needed),
   * or {@code <stamp>-2}, {@code <stamp>-3}, ... when that name is taken. Creation is atomic, so two runs
   * started in the same second, even in two processes, get two folders.
   */
  public static Path createUnique(Path root, LocalDateTime time) throws IOException {
    Files.createDirectories(root);
    String stamp = STAMP.format(time);
    for (int n = 1; n <= MAX_SUFFIX; n++) {
      Path candidate = root.resolve(n == 1 ? stamp : stamp + "-" + n);
      try {
        return Files.createDirectory(candidate);
      } catch (FileAlreadyExistsException taken) {
        // next suffix
      }
    }
    throw new IOException(root + ": no free run folder name from " + stamp + " to " + stamp + "-" + MAX_SUFFIX);
  }

  /**
   * Creates exactly {@code runDir} (and its parents); fails if it already exists, since a run folder is never
   * reused.
   */
  public static Path createNew(Path runDir) throws IOException {
    Path parent = runDir.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      return Files.createDirectory(runDir);
    } catch (FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException(runDir.toString(), null,
          "run folder already exists (a new folder expected; runs are never overwritten)");
    }
  }
}
