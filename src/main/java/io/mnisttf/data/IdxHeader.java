package io.mnisttf.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;

/** The header of an IDX file: a magic number (two zero bytes, the element type, the rank) and the dimensions. */
final class IdxHeader {
  private IdxHeader() {}

  /**
   * Reads and checks the magic number (element type unsigned byte, rank {@code rank}) and the dimensions.
   *
   * @param kind what the items are, for messages ({@code "image"}, {@code "label"})
   */
  static int[] read(Path file, InputStream in, int rank, String kind) throws IOException {
    byte[] magic = new byte[4];
    int got = in.readNBytes(magic, 0, 4);
    int expectedMagic = (IdxReader.UNSIGNED_BYTE << 8) | rank;
    if (got < 4) {
      throw new MnistFormatException(file, String.format(Locale.ROOT,
          "not an IDX %s file (magic 0x%08x expected, found only %d byte%s)",
          kind, expectedMagic, got, got == 1 ? "" : "s"));
    }
    int found = ((magic[0] & 0xff) << 24) | ((magic[1] & 0xff) << 16) | ((magic[2] & 0xff) << 8)
        | (magic[3] & 0xff);
    if (magic[0] != 0 || magic[1] != 0) {
      throw new MnistFormatException(file, String.format(Locale.ROOT,
          "not an IDX %s file (magic 0x%08x expected, found 0x%08x)", kind, expectedMagic, found));
    }
    if ((magic[2] & 0xff) != IdxReader.UNSIGNED_BYTE) {
      throw new MnistFormatException(file, String.format(Locale.ROOT,
          "IDX element type 0x%02x (%s) found, unsigned byte (0x08) expected",
          magic[2] & 0xff, typeName(magic[2] & 0xff)));
    }
    if (magic[3] != rank) {
      throw new MnistFormatException(file, String.format(Locale.ROOT,
          "not an IDX %s file (magic 0x%08x expected, found 0x%08x: rank %d instead of %d)",
          kind, expectedMagic, found, magic[3] & 0xff, rank));
    }
    byte[] header = new byte[4 * rank];
    int n = in.readNBytes(header, 0, header.length);
    if (n < header.length) {
      throw new MnistFormatException(file, String.format(Locale.ROOT,
          "truncated IDX header (%d bytes expected, found %d)", 4 + header.length, 4 + n));
    }
    int[] dims = new int[rank];
    for (int i = 0; i < rank; i++) {
      dims[i] = ((header[4 * i] & 0xff) << 24) | ((header[4 * i + 1] & 0xff) << 16)
          | ((header[4 * i + 2] & 0xff) << 8) | (header[4 * i + 3] & 0xff);
      if (dims[i] < 0) {
        throw new MnistFormatException(file, String.format(Locale.ROOT,
            "negative dimension %d in the IDX header (dimension %d; 0 to %d expected)",
            dims[i], i, Integer.MAX_VALUE));
      }
    }
    return dims;
  }

  static String typeName(int code) {
    return switch (code) {
      case 0x09 -> "signed byte";
      case 0x0B -> "short";
      case 0x0C -> "int";
      case 0x0D -> "float";
      case 0x0E -> "double";
      default -> "unknown";
    };
  }
}
