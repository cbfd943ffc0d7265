package io.mnisttf.serve;

import java.util.Objects;

/**
 * A request failed as TF Serving's would: a TensorFlow status {@link Code} and its message, which the REST API
 * sends as {@code {"error": "<message>"}} with the code's HTTP status.
 */
public final class ServingException extends Exception {
  private static final long serialVersionUID = 1L;

  private final Code code;

  public ServingException(Code code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
    if (code == Code.OK) {
      throw new IllegalArgumentException("an error needs a code other than OK");
    }
  }

  public static ServingException invalidArgument(String message) {
    return new ServingException(Code.INVALID_ARGUMENT, message);
  }

  public static ServingException notFound(String message) {
    return new ServingException(Code.NOT_FOUND, message);
  }

  public Code code() {
    return code;
  }
}
