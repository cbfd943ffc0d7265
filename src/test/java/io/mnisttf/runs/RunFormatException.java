package io.mnisttf.runs;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A run folder file exists but its content is not what {@link RunRecorder} writes: a wrong header, a row with
 * the wrong number of fields, or a field that is not a number. The message names the file and line and says
 * what was expected and what was found.
 */
public final class RunFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public RunFormatException(Path file, int line, String problem) {
    super(file + ": line " + line + ": " + problem);
  }
}
