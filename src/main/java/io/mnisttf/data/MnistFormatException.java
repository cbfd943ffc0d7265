package io.mnisttf.data;

import io.mnisttf.util.FileProblemException;
import java.nio.file.Path;

/**
 * A data file exists but its content is not what MNIST needs: wrong magic number, element type, rank or
 * dimensions, too little or too much data, labels outside 0-9, or images and labels that do not pair up.
 *
 * <p>The message always starts with the file and says what was expected and what was found, ready to be
 * printed as {@code error: <message>}.
 */
public final class MnistFormatException extends FileProblemException {
  private static final long serialVersionUID = 1L;

  public MnistFormatException(Path file, String problem) {
    super(file, problem);
  }
}
