package io.mnisttf.tensorboard;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/**
 * Writes TFRecord frames to a stream:
 * {@code uint64 length (little endian) | uint32 masked_crc32c(length bytes) | data | uint32 masked_crc32c(data)}.
 * Each frame is assembled in a reused buffer and passed to the stream in one write, so a buffered stream only
 * ever sends whole frames to the file: a process that ends abruptly leaves complete records, never part of
 * one. Pass a buffered stream.
 *
 * <p>Not thread-safe. {@link #close()} closes the stream and may be called more than once.
 */
public final class TfRecordWriter implements AutoCloseable {
  /** Bytes a frame adds around its data: 8 (length) + 4 (length CRC) + 4 (data CRC). */
  public static final int FRAME_OVERHEAD = 16;

  private final OutputStream out;
  private final CRC32C crc = new CRC32C();
  private byte[] frame = new byte[256];
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
    int size = FRAME_OVERHEAD + length;
    if (frame.length < size) {
      frame = new byte[Math.max(size, 2 * frame.length)];
    }
    putLongLe(frame, 0, length);
    putIntLe(frame, 8, maskedCrc(frame, 0, 8));
    System.arraycopy(data, offset, frame, 12, length);
    putIntLe(frame, 12 + length, maskedCrc(data, offset, length));
    out.write(frame, 0, size);
    bytesWritten += size;
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
