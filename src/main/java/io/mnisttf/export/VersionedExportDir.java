package io.mnisttf.export;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import io.mnisttf.util.StagingDir;

/**
 * TensorFlow Serving's model folder: numbered version subfolders ({@code base/1}, {@code base/2}, ...), the
 * highest being served.
 *
 * <p>A new version is first written completely into a hidden temporary folder beside the versions (TF
 * Serving ignores names that are not numbers), then published with one atomic rename to the next number
 * after the highest existing one. Existing versions are never touched. Several processes may publish into
 * the same base folder at once: choosing the number and renaming happen under an exclusive file lock
 * ({@code .export.lock}), so each gets its own version. Temporary folders left by a killed process are
 * removed by the next export.
 */
public final class VersionedExportDir {
  private static final String LOCK_FILE = ".export.lock";

  private final Path base;

  public VersionedExportDir(Path base) {
    this.base = base;
  }

  /** Content writer for a new version folder, which exists and is empty when it is called. */
  @FunctionalInterface
  public interface Writer {
    void write(Path folder) throws IOException;
  }

  /**
   * Writes a new version with {@code writer} and publishes it; returns the version folder. If the writer
   * fails, nothing is published and the temporary folder is removed.
   */
  public Path publish(Writer writer) throws IOException {
    if (Files.exists(base) && !Files.isDirectory(base)) {
      throw new IOException(base + ": not a directory (the export folder expected)");
    }
    Files.createDirectories(base);
    StagingDir.removeAbandoned(base);
    try (StagingDir staging = StagingDir.create(base)) {
      writer.write(staging.path());
      // File locks are held per process: threads of this JVM also take the in-process lock.
      synchronized (VersionedExportDir.class) {
        return moveIntoPlace(staging);
      }
    }
  }

  @SuppressWarnings("try") // the lock is held for the block, not used in it
  private Path moveIntoPlace(StagingDir staging) throws IOException {
    try (FileChannel lockChannel = FileChannel.open(base.resolve(LOCK_FILE), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        FileLock lock = lockChannel.lock()) {
      Path target = base.resolve(Long.toString(highestVersion().orElse(0) + 1));
      if (Files.exists(target)) {
        throw new FileAlreadyExistsException(target.toString());
      }
      try {
        staging.publishAs(target);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException(base + ": cannot rename a folder atomically here (" + e.getMessage() + ")", e);
      }
      return target;
    }
  }


  /** The highest numbered version present, if any. */
  public OptionalLong highestVersion() throws IOException {
    if (!Files.isDirectory(base)) {
      return OptionalLong.empty();
    }
    long highest = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(base)) {
      for (Path entry : entries) {
        long version = versionNumber(entry.getFileName().toString());
        if (version > highest && Files.isDirectory(entry)) {
          highest = version;
        }
      }
    }
    return highest > 0 ? OptionalLong.of(highest) : OptionalLong.empty();
  }

  /**
   * The version number of a folder named {@code name} as TF Serving reads it, or 0 when the name is not a
   * positive decimal number (of at most 18 digits); the one parser of version folder names.
   */
  public static long versionNumber(String name) {
    if (name.isEmpty() || name.length() > 18 || !name.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return 0;
    }
    return Long.parseLong(name);
  }
}
