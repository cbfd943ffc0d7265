package io.mnisttf.tensorboard;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A TFRecord or event file whose bytes are not what was written: a checksum mismatch, a record cut short, or
 * record data that is not an {@code Event}. The message names the file and the byte offset of the record, and
 * says what was expected and what was found.
 */
public final class TfRecordFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long offset;

  public TfRecordFormatException(Path file, long offset, String problem) {
    super(file + ": record at offset " + offset + ": " + problem);
    this.offset = offset;
  }

  public TfRecordFormatException(Path file, long offset, String problem, Throwable cause) {
    this(file, offset, problem);
    initCause(cause);
  }

  /** Byte offset in the file of the frame that failed (the start of its length field). */
  public long offset() {
    return offset;
  }
}
