package io.mnisttf.util;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file or folder the tool was given cannot be used, as data: the path and the problem (what was expected and
 * what was found). The message is the one line {@code <path>: <problem>} that the command line prints after
 * {@code error: }; nothing re-parses it. The tool's own exceptions for data files, checkpoints, images and models
 * extend it.
 */
public class FileProblemException extends IOException {
  private static final long serialVersionUID = 1L;
  private final transient Path path;
  private final String problem;

  public FileProblemException(Path path, String problem) {
    this(path, problem, null);
  }

  public FileProblemException(Path path, String problem, Throwable cause) {
    super(path + ": " + problem, cause);
    this.path = path;
    this.problem = problem;
  }

  /** The file or folder concerned. */
  public Path path() {
    return path;
  }

  /** What is wrong with it, without the path. */
  public String problem() {
    return problem;
  }
}
