package io.mnisttf.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * What the IDX reader asks of a file's compression: whether it is gzip (told by content, not name; another
 * compression is named and refused), whether the gzip trailer agrees with the size the IDX header declares, and
 * where a truncated stream ends.
 */
final class GzipChecks {
  private GzipChecks() {}

  /** Where a gzip stream that ends too early ends: after how many bytes of the file, and how far into the data. */
  static String truncated(long fileSize, long inflated, long declared) {
    String end = "truncated gzip stream: the file ends after " + fileSize + " byte" + (fileSize == 1 ? "" : "s");
    if (declared < 0) {
      return end + ", inside the IDX header";
    }
    if (inflated >= declared) {
      return end + ", before the end of the gzip stream (all " + declared + " bytes of the IDX file decompressed)";
    }
    return end + ", " + inflated + " decompressed bytes into the " + declared + " that the IDX header declares";
  }

  /**
   * Whether the content is gzip, from its first bytes. An IDX file starts with two zero bytes; anything else
   * that is not gzip is named by commons-compress's format detection when it can tell (bzip2, xz, ...).
   */
  static boolean isGzip(Path file, InputStream in) throws IOException {
    in.mark(16);
    byte[] start = in.readNBytes(2);
    in.reset();
    if (GzipCompressorInputStream.matches(start, start.length)) {
      return true;
    }
    if (start.length < 2 || (start[0] == 0 && start[1] == 0)) {
      return false; // plain IDX (or too short: reported by the header check)
    }
    String format;
    try {
      format = CompressorStreamFactory.detect(in);
    } catch (CompressorException notCompressed) {
      return false; // not compressed: reported by the magic number check
    }
    throw new MnistFormatException(file, "compressed as " + format + " (gzip or uncompressed IDX expected)");
  }

  /** Deflate cannot expand data by more than this factor (RFC 1951: at most 258 bytes per 2 bits, about 1032). */
  static final long MAX_DEFLATE_RATIO = 1032;

  /**
   * Whether the gzip trailer's size field (uncompressed length mod 2^32) matches what the header declares,
   * and the file is large enough to inflate to it: then the whole data block can be allocated at once. This
   * bounds the allocation by the data actually present; the length is still verified byte for byte.
   */
  static boolean trailerAgrees(Path file, long fileSize, long uncompressed) throws IOException {
    if (fileSize < 18 || uncompressed > fileSize * MAX_DEFLATE_RATIO) {
      return false;
    }
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
      java.nio.ByteBuffer trailer = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      channel.read(trailer, fileSize - 4);
      return trailer.position() == 4 && (trailer.getInt(0) & 0xffffffffL) == (uncompressed & 0xffffffffL);
    }
  }
}
