package io.mnisttf.savedmodel.internal.worker;

/**
 * A model worker refused or failed a serving request and lived on: the request's tensors do not fit the
 * signature, TensorFlow returned an error, or the model could not be opened. It carries TensorFlow's status code
 * ({@code 3} invalid argument, {@code 9} failed precondition, {@code 12} unimplemented, ...) and message, which a
 * server passes on as TF Serving would.
 */
public final class ModelCallException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int code;

  public ModelCallException(int code, String message) {
    super(message);
    if (code == 0) {
      throw new IllegalArgumentException("a failure needs a non-zero status code");
    }
    this.code = code;
  }

  /** TensorFlow's status code ({@code error::Code}). */
  public int code() {
    return code;
  }
}
