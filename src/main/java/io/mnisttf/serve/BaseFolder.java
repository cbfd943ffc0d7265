package io.mnisttf.serve;

import io.mnisttf.layout.VersionedExportDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A model base path as {@link ModelVersions} polls it: which version folder it would serve now (the highest,
 * numbered as Serving numbers them: {@link VersionedExportDir}), a fingerprint that tells when a folder has been
 * rewritten, and what is wrong with the base folder (missing, unreadable, emptied), each problem said to the log
 * once while an earlier version is still served.
 */
final class BaseFolder {
  private final Path base;
  private final Consumer<String> log;
  private boolean warnedEmpty;
  private String lastProblem;

  BaseFolder(Path base, Consumer<String> log) {
    this.base = base;
    this.log = log;
  }

  /**
   * The version folder to serve now, or empty when there is none or the base folder cannot be read.
   *
   * @param serving the version served now (named in the warnings), or -1 when none is
   */
  Optional<Path> look(long serving) {
    Optional<Path> served;
    try {
      served = VersionedExportDir.servedVersion(base);
    } catch (IOException e) {
      problem(base + ": cannot list the base folder (" + e.getMessage() + ")", serving);
      return Optional.empty();
    }
    if (served.isEmpty()) {
      if (!Files.isDirectory(base)) {
        problem(base + ": no such folder (a model base path with numbered version folders expected)", serving);
      } else if (!warnedEmpty && serving >= 0) {
        log.accept("warning: no version folder in " + base + " any more; still serving version " + serving);
      }
      warnedEmpty = true;
      return served;
    }
    warnedEmpty = false;
    lastProblem = null;
    return served;
  }

  private void problem(String message, long serving) {
    if (!message.equals(lastProblem)) {
      lastProblem = message;
      if (serving >= 0) {
        log.accept("warning: " + message + "; still serving version " + serving);
      }
    }
  }

  /**
   * Why no version could be served when none failed to load: the base folder's problem, a SavedModel folder
   * given where its base path was expected, or no version folder.
   */
  ServingException noVersion() {
    if (lastProblem == null && Files.isRegularFile(base.resolve("saved_model.pb"))) {
      return new ServingException(Code.NOT_FOUND, base + ": a SavedModel folder, not a model base path: serve the"
          + " folder that holds it as a numbered version (such as " + base.resolve("..").normalize().resolve("1")
          + ")");
    }
    return new ServingException(Code.NOT_FOUND, lastProblem != null ? lastProblem : base
        + ": no version folder (TF Serving serves numbered folders such as " + base.resolve("1") + ")");
  }

  /** What changes when a version folder is rewritten: its files' names, sizes and modification times. */
  static String fingerprint(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      StringBuilder s = new StringBuilder();
      files.sorted().forEach(p -> {
        try {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
          s.append(dir.relativize(p)).append(' ').append(a.size()).append(' ').append(a.lastModifiedTime().toMillis())
              .append('\n');
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      return Integer.toHexString(s.toString().hashCode()) + ":" + s.length();
    } catch (IOException | UncheckedIOException e) {
      return "unreadable:" + e.getMessage();
    }
  }
}
