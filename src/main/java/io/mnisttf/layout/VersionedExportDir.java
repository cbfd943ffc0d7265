package io.mnisttf.layout;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
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
      Path target = base.resolve(Long.toString(Math.max(highestVersion().orElse(0), 0) + 1));
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


  /**
   * The highest version present, as TF Serving reads the folder's children ({@link #versionNumber}; a file
   * named like a version counts too, as it does for Serving), if any.
   */
  public OptionalLong highestVersion() throws IOException {
    Optional<Path> served = servedVersion(base);
    return served.isPresent() ? versionNumber(served.get().getFileName().toString()) : OptionalLong.empty();
  }

  /**
   * The child of the model base path {@code base} that TF Serving's default version policy ("latest") serves:
   * the one with the highest version number, whatever it holds (among children that name the same number, such
   * as {@code 7} and {@code 007}, the last in name order, as Serving picks). Empty when {@code base} is not a
   * folder or no child is named as a version.
   */
  public static Optional<Path> servedVersion(Path base) throws IOException {
    if (!Files.isDirectory(base)) {
      return Optional.empty();
    }
    Path served = null;
    long highest = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(base)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        OptionalLong version = versionNumber(name);
        if (version.isPresent() && (served == null || version.getAsLong() > highest
            || version.getAsLong() == highest && name.compareTo(served.getFileName().toString()) > 0)) {
          served = entry;
          highest = version.getAsLong();
        }
      }
    }
    return Optional.ofNullable(served);
  }

  /**
   * The version number TF Serving reads from a child of a model base path named {@code name}, or empty when
   * Serving does not take the name for a version. Serving parses names with TensorFlow's {@code safe_strto64}:
   * optional white space around an optional minus sign and decimal digits, within 64 bits; so {@code 0},
   * {@code 007} and {@code -1} are versions, {@code +1}, {@code 1a} and {@code .tmp-1} are not. The one parser of
   * version folder names.
   */
  public static OptionalLong versionNumber(String name) {
    int from = 0;
    int to = name.length();
    while (from < to && isCSpace(name.charAt(from))) {
      from++;
    }
    while (to > from && isCSpace(name.charAt(to - 1))) {
      to--;
    }
    int digits = from < to && name.charAt(from) == '-' ? from + 1 : from;
    if (digits == to) {
      return OptionalLong.empty();
    }
    for (int i = digits; i < to; i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return OptionalLong.empty();
      }
    }
    try {
      return OptionalLong.of(Long.parseLong(name, from, to, 10));
    } catch (NumberFormatException beyond64Bits) {
      return OptionalLong.empty();
    }
  }

  /** C's {@code isspace} in the "C" locale. */
  private static boolean isCSpace(char c) {
    return c == ' ' || c >= '\t' && c <= '\r';
  }
}
