package io.mnisttf.predict;

import io.mnisttf.util.FileProblemException;
import java.nio.file.Path;

/**
 * An image file cannot be used as a digit: missing, empty, not a PNG or JPEG, undecodable, too large, or
 * without a visible digit. The message starts with the file and fits on one line, ready to be printed as
 * {@code error: <message>}.
 */
public final class DigitImageException extends FileProblemException {
  private static final long serialVersionUID = 1L;

  public DigitImageException(Path file, String problem) {
    super(file, problem);
  }

  public DigitImageException(Path file, String problem, Throwable cause) {
    super(file, problem, cause);
  }
}
