package io.mnisttf.serve;

/**
 * TensorFlow's status codes ({@code tensorflow/core/protobuf/error_codes.proto}) with the HTTP status TF
 * Serving's REST server answers for each ({@code model_servers/http_server.cc}: invalid argument, failed
 * precondition and out of range are 400, not found 404, unimplemented 501, unavailable 503, deadline exceeded
 * 504, internal and unknown 500, ...).
 */
public enum Code {
  OK(0, 200),
  CANCELLED(1, 499),
  UNKNOWN(2, 500),
  INVALID_ARGUMENT(3, 400),
  DEADLINE_EXCEEDED(4, 504),
  NOT_FOUND(5, 404),
  ALREADY_EXISTS(6, 409),
  PERMISSION_DENIED(7, 403),
  RESOURCE_EXHAUSTED(8, 429),
  FAILED_PRECONDITION(9, 400),
  ABORTED(10, 409),
  OUT_OF_RANGE(11, 400),
  UNIMPLEMENTED(12, 501),
  INTERNAL(13, 500),
  UNAVAILABLE(14, 503),
  DATA_LOSS(15, 500),
  UNAUTHENTICATED(16, 401);

  private final int number;
  private final int httpStatus;

  Code(int number, int httpStatus) {
    this.number = number;
    this.httpStatus = httpStatus;
  }

  /** The code's number in TensorFlow's {@code error::Code}. */
  public int number() {
    return number;
  }

  /** The HTTP status TF Serving's REST API answers with for this code. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The code numbered {@code number}; {@link #UNKNOWN} for a number TensorFlow does not define. */
  public static Code forNumber(int number) {
    for (Code c : values()) {
      if (c.number == number) {
        return c;
      }
    }
    return UNKNOWN;
  }
}
