package io.mnisttf.savedmodel;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A SavedModel cannot be used: the folder or a file in it is missing, truncated or malformed, its
 * signatures cannot take MNIST images, it holds ops that are unsafe or unknown to this TensorFlow, or
 * TensorFlow fails to load or run it.
 *
 * <p>The message is one line that starts with the folder or file concerned and says what was expected
 * and what was found, ready to be printed as {@code error: <message>}.
 */
public class SavedModelException extends IOException {
  private static final long serialVersionUID = 1L;

  public SavedModelException(Path path, String problem) {
    super(path + ": " + problem);
  }

  public SavedModelException(Path path, String problem, Throwable cause) {
    super(path + ": " + problem, cause);
  }

  /** A message that already starts with the folder or file (one relayed from a model worker). */
  protected SavedModelException(String message) {
    super(message);
  }
}
