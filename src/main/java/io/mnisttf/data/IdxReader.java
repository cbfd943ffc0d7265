package io.mnisttf.data;

import io.mnisttf.util.Problems;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads one IDX file of unsigned bytes (the format of the MNIST files), gzip-compressed or plain.
 *
 * <p>Compression is detected from the content, not the file name. The reader checks the magic number
 * (element type unsigned byte and the expected rank), that no dimension is negative and that the data after
 * the header has exactly the length the header declares: too short and too long are both errors. Memory
 * for the data is only allocated as data actually arrives, so a header that claims billions of items on a
 * small file, or a compressed stream that inflates to far more than declared, fails fast and cheaply.
 *
 * <p>Every problem is a {@link MnistFormatException} whose message names the file and says what was
 * expected and what was found.
 */
public final class IdxReader {
  /** IDX element type code of unsigned bytes, the only one MNIST uses. */
  public static final int UNSIGNED_BYTE = 0x08;

  /** Largest data block this reader accepts (1 GiB; MNIST's largest file holds 47 MB). */
  public static final long MAX_DATA_BYTES = 1L << 30;

  private static final int CHUNK = 1 << 20;

  private IdxReader() {}

  /**
   * One IDX file's content.
   *
   * @param file where it was read from, for messages
   * @param dims the dimensions from the header, outermost first (dims[0] is the item count)
   * @param data the elements in row-major order, unsigned bytes stored in Java's signed {@code byte}
   */
  public record IdxArray(Path file, int[] dims, byte[] data) {
    /** Number of items, the first dimension. */
    public int count() {
      return dims[0];
    }
  }

  /**
   * Reads an unsigned-byte IDX file of the given rank.
   *
   * @param file the file, gzip-compressed or plain
   * @param rank the rank expected in the magic number (1 for labels, 3 for images)
   * @param kind what the file should hold, for messages ("image", "label")
   * @throws MnistFormatException when the file is missing, unreadable or not such an IDX file
   */
  public static IdxArray read(Path file, int rank, String kind) throws MnistFormatException {
    if (!Files.isRegularFile(file)) {
      throw new MnistFormatException(file, Files.exists(file) ? "not a regular file" : "no such file");
    }
    long fileSize = 0;
    GzipCompressorInputStream gzip = null;
    long declared = -1; // bytes of the uncompressed file, header included, once the header is read
    try {
      fileSize = Files.size(file);
      if (fileSize == 0) {
        throw new MnistFormatException(file, "empty file (an IDX " + kind + " file expected)");
      }
      try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
        if (GzipChecks.isGzip(file, raw)) {
          gzip = GzipCompressorInputStream.builder().setInputStream(raw).setDecompressConcatenated(true).get();
        }
        try (InputStream in = gzip != null ? gzip : raw) {
          int[] dims = IdxHeader.read(file, in, rank, kind);
          long expected = dataLength(dims);
          long headerBytes = 4L + 4L * rank;
          declared = headerBytes + expected;
          byte[] data = gzip != null
              ? readCompressed(file, in, expected, dims, kind,
                  GzipChecks.trailerAgrees(file, fileSize, headerBytes + expected))
              : readPlain(file, in, expected, fileSize - headerBytes, dims, kind);
          return new IdxArray(file, dims, data);
        }
      }
    } catch (MnistFormatException e) {
      throw e;
    } catch (EOFException e) {
      throw new MnistFormatException(file, GzipChecks.truncated(fileSize, gzip == null ? 0 : gzip.getUncompressedCount(),
          declared));
    } catch (NoSuchFileException e) {
      throw new MnistFormatException(file, "no such file");
    } catch (IOException e) {
      throw new MnistFormatException(file, "unreadable: " + Problems.describe(e));
    }
  }

  /** Product of the dimensions, saturating at Long.MAX_VALUE (each dimension is below 2^31). */
  private static long dataLength(int[] dims) {
    long n = 1;
    for (int d : dims) {
      if (d != 0 && n > Long.MAX_VALUE / d) {
        return Long.MAX_VALUE;
      }
      n *= d;
    }
    return n;
  }

  private static byte[] readPlain(Path file, InputStream in, long expected, long available, int[] dims,
      String kind) throws IOException {
    if (available != expected) {
      throw lengthMismatch(file, expected, Long.toString(available), dims, kind);
    }
    checkSupported(file, expected, dims, kind);
    byte[] data = in.readNBytes((int) expected);
    if (data.length != expected) {
      throw lengthMismatch(file, expected, Integer.toString(data.length), dims, kind);
    }
    return data;
  }

  /**
   * Reads the data of a compressed stream and checks that it has exactly the declared length. When the gzip
   * trailer agrees with the header the block is allocated at once; otherwise memory is allocated only as
   * data arrives, never more than {@code expected + 1} bytes, so that both a short stream and a
   * decompression bomb are caught cheaply.
   */
  private static byte[] readCompressed(Path file, InputStream in, long expected, int[] dims, String kind,
      boolean allocateAtOnce) throws IOException {
    if (allocateAtOnce && expected <= MAX_DATA_BYTES) {
      byte[] data = new byte[(int) expected];
      int n = in.readNBytes(data, 0, data.length);
      if (n < expected) {
        throw lengthMismatch(file, expected, Integer.toString(n), dims, kind);
      }
      if (in.read() >= 0) {
        throw lengthMismatch(file, expected, "more", dims, kind);
      }
      return data;
    }
    return readAtMost(file, in, expected, dims, kind);
  }

  /**
   * Reads the data of a compressed stream, allocating only as data arrives and never more than
   * {@code expected + 1} bytes, so that both a short stream and a decompression bomb are caught cheaply.
   */
  private static byte[] readAtMost(Path file, InputStream in, long expected, int[] dims, String kind)
      throws IOException {
    if (expected > MAX_DATA_BYTES) {
      // Count what is really there (without storing it) so that the message can say expected vs found.
      long found = countUpTo(in, MAX_DATA_BYTES + 1);
      throw found > MAX_DATA_BYTES
          ? unsupported(file, expected, dims, kind)
          : lengthMismatch(file, expected, Long.toString(found), dims, kind);
    }
    List<byte[]> chunks = new ArrayList<>();
    long total = 0;
    long limit = expected + 1;
    while (total < limit) {
      int want = (int) Math.min(CHUNK, limit - total);
      byte[] chunk = in.readNBytes(want);
      if (chunk.length > 0) {
        chunks.add(chunk);
        total += chunk.length;
      }
      if (chunk.length < want) {
        break;
      }
    }
    if (total != expected) {
      throw lengthMismatch(file, expected, total > expected ? "more" : Long.toString(total), dims, kind);
    }
    if (chunks.size() == 1) {
      return chunks.get(0);
    }
    byte[] data = new byte[(int) expected];
    int at = 0;
    for (byte[] chunk : chunks) {
      System.arraycopy(chunk, 0, data, at, chunk.length);
      at += chunk.length;
    }
    return data;
  }

  private static long countUpTo(InputStream in, long cap) throws IOException {
    byte[] scratch = new byte[CHUNK];
    long total = 0;
    int n;
    while (total < cap && (n = in.read(scratch, 0, (int) Math.min(scratch.length, cap - total))) > 0) {
      total += n;
    }
    return total;
  }

  private static void checkSupported(Path file, long expected, int[] dims, String kind)
      throws MnistFormatException {
    if (expected > MAX_DATA_BYTES) {
      throw unsupported(file, expected, dims, kind);
    }
  }

  private static MnistFormatException unsupported(Path file, long expected, int[] dims, String kind) {
    return new MnistFormatException(file, String.format(Locale.ROOT,
        "header declares %s (%d bytes of data), more than the %d bytes this reader accepts",
        describe(dims, kind), expected, MAX_DATA_BYTES));
  }

  private static MnistFormatException lengthMismatch(Path file, long expected, String found, int[] dims,
      String kind) {
    return new MnistFormatException(file, String.format(Locale.ROOT,
        "data length does not match the header (%d bytes expected for %s, found %s)",
        expected, describe(dims, kind), found));
  }

  private static String describe(int[] dims, String kind) {
    String items = dims[0] + " " + kind + (dims[0] == 1 ? "" : "s");
    if (dims.length == 1) {
      return items;
    }
    return items + " of " + String.join("x", Arrays.stream(dims, 1, dims.length)
        .mapToObj(Integer::toString).toList());
  }


}
