package io.mnisttf.tensorboard;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the records of a TFRecord file and checks both CRCs of every frame (see {@link TfRecordWriter} for
 * the layout). A wrong checksum, a record cut short or a length beyond the end of the file throws a
 * {@link TfRecordFormatException} naming the file and the offset of the frame.
 *
 * <p>Usage: {@code try (var r = TfRecordReader.open(path)) { for (byte[] rec; (rec = r.next()) != null; ) ... }}.
 */
public final class TfRecordReader implements AutoCloseable {
  private final Path file;
  private final InputStream in;
  private final long size;
  private final byte[] header = new byte[12];
  private final byte[] footer = new byte[4];
  private long offset;
  private long recordOffset = -1;

  private TfRecordReader(Path file, InputStream in, long size) {
    this.file = file;
    this.in = in;
    this.size = size;
  }

  /** Opens {@code file} for reading from its first record. */
  public static TfRecordReader open(Path file) throws IOException {
    long size = Files.size(file);
    return new TfRecordReader(file, new BufferedInputStream(Files.newInputStream(file), 1 << 16), size);
  }

  /** Every record's data, in file order. */
  public static List<byte[]> readAll(Path file) throws IOException {
    List<byte[]> records = new ArrayList<>();
    try (TfRecordReader reader = open(file)) {
      for (byte[] data; (data = reader.next()) != null; ) {
        records.add(data);
      }
    }
    return records;
  }

  /** The next record's data, or null at the end of the file. */
  public byte[] next() throws IOException {
    long start = offset;
    int n = in.readNBytes(header, 0, header.length);
    offset += n;
    if (n == 0) {
      return null;
    }
    if (n < header.length) {
      throw new TfRecordFormatException(file, start,
          "truncated header (12 bytes expected, " + n + " found)");
    }
    int lengthCrc = getIntLe(header, 8);
    int expectedLengthCrc = MaskedCrc32c.of(header, 0, 8);
    if (lengthCrc != expectedLengthCrc) {
      throw new TfRecordFormatException(file, start, String.format(
          "length checksum mismatch (0x%08x computed, 0x%08x stored)", expectedLengthCrc, lengthCrc));
    }
    long length = getLongLe(header, 0);
    long left = size - offset - footer.length;
    if (length < 0 || length > left || length > Integer.MAX_VALUE - 8) {
      throw new TfRecordFormatException(file, start, "record length " + Long.toUnsignedString(length)
          + " runs past the end of the file (at most " + Math.max(0, left) + " bytes left)");
    }
    byte[] data = in.readNBytes((int) length);
    int f = in.readNBytes(footer, 0, footer.length);
    offset += data.length + f;
    if (data.length < length || f < footer.length) {
      throw new TfRecordFormatException(file, start, "truncated record (" + (length + 4)
          + " bytes of data and checksum expected, " + (data.length + f) + " found)");
    }
    int dataCrc = getIntLe(footer, 0);
    int expectedDataCrc = MaskedCrc32c.of(data);
    if (dataCrc != expectedDataCrc) {
      throw new TfRecordFormatException(file, start, String.format(
          "data checksum mismatch (0x%08x computed, 0x%08x stored)", expectedDataCrc, dataCrc));
    }
    recordOffset = start;
    return data;
  }

  /** Byte offset of the frame {@link #next()} returned last, -1 before the first. */
  public long recordOffset() {
    return recordOffset;
  }

  /** The file being read. */
  public Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  static long getLongLe(byte[] b, int at) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[at + i] & 0xff);
    }
    return v;
  }

  static int getIntLe(byte[] b, int at) {
    int v = 0;
    for (int i = 3; i >= 0; i--) {
      v = (v << 8) | (b[at + i] & 0xff);
    }
    return v;
  }
}
