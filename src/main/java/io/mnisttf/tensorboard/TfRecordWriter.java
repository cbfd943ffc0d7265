package io.mnisttf.tensorboard;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/**
 * Writes TFRecord frames to a stream:
 * {@code uint64 length (little endian) | uint32 masked_crc32c(length bytes) | data | uint32 masked_crc32c(data)}.
 * The 12-byte header and the 4-byte footer are reused between records, so a record costs no allocation here;
 * pass a buffered stream, since every record is three small writes.
 *
 * <p>Not thread-safe. {@link #close()} closes the stream and may be called more than once.
 */
public final class TfRecordWriter implements AutoCloseable {
  /** Bytes a frame adds around its data: 8 (length) + 4 (length CRC) + 4 (data CRC). */
  public static final int FRAME_OVERHEAD = 16;

  private final OutputStream out;
  private final CRC32C crc = new CRC32C();
  private final byte[] header = new byte[12];
  private final byte[] footer = new byte[4];
  private long bytesWritten;
  private boolean closed;

  public TfRecordWriter(OutputStream out) {
    this.out = out;
  }

  /** Writes one record holding {@code length} bytes of {@code data} from {@code offset}. */
  public void write(byte[] data, int offset, int length) throws IOException {
    if (closed) {
      throw new IOException("TFRecord writer is closed");
    }
    putLongLe(header, 0, length);
    putIntLe(header, 8, maskedCrc(header, 0, 8));
    putIntLe(footer, 0, maskedCrc(data, offset, length));
    out.write(header);
    out.write(data, offset, length);
    out.write(footer);
    bytesWritten += FRAME_OVERHEAD + (long) length;
  }

  /** Writes one record holding all of {@code data}. */
  public void write(byte[] data) throws IOException {
    write(data, 0, data.length);
  }

  /** Pushes buffered records to the underlying stream. */
  public void flush() throws IOException {
    if (!closed) {
      out.flush();
    }
  }

  /** Bytes written so far, frames included. */
  public long bytesWritten() {
    return bytesWritten;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    out.close();
  }

  private int maskedCrc(byte[] data, int offset, int length) {
    crc.reset();
    crc.update(data, offset, length);
    return MaskedCrc32c.mask((int) crc.getValue());
  }

  static void putLongLe(byte[] b, int at, long v) {
    for (int i = 0; i < 8; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }

  static void putIntLe(byte[] b, int at, int v) {
    for (int i = 0; i < 4; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }
}
