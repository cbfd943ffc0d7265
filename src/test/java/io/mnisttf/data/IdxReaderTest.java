package io.mnisttf.data;

import static io.mnisttf.data.IdxFiles.gzip;
import static io.mnisttf.data.IdxFiles.idx;
import static io.mnisttf.data.IdxFiles.images;
import static io.mnisttf.data.IdxFiles.labels;
import static io.mnisttf.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.testing.UserText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path dir;

  private MnistFormatException fails(byte[] content, int rank, String kind) throws IOException {
    Path file = write(dir.resolve("broken.gz"), content);
    MnistFormatException e = assertThrows(MnistFormatException.class, () -> IdxReader.read(file, rank, kind));
    assertTrue(e.getMessage().startsWith(file + ": "), "message names the file: " + e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    UserText.assertNoJavaNames(e.getMessage());
    return e;
  }

  private static void assertMentions(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' expected in: " + e.getMessage());
    }
  }

  @Test
  void readsGzipAndPlainFilesAlike() throws IOException {
    byte[] raw = images(3, 28, 28);
    Path gz = write(dir.resolve("a.gz"), gzip(raw));
    Path plainNamedGz = write(dir.resolve("b.gz"), raw);
    IdxReader.IdxArray fromGzip = IdxReader.read(gz, 3, "image");
    IdxReader.IdxArray fromPlain = IdxReader.read(plainNamedGz, 3, "image");
    assertArrayEquals(new int[] {3, 28, 28}, fromGzip.dims());
    assertArrayEquals(Arrays.copyOfRange(raw, 16, raw.length), fromGzip.data());
    assertArrayEquals(fromGzip.data(), fromPlain.data());
    assertEquals(3, fromPlain.count());
  }

  @Test
  void readsConcatenatedGzipMembers() throws IOException {
    byte[] raw = labels(20);
    byte[] first = gzip(Arrays.copyOf(raw, 10));
    byte[] second = gzip(Arrays.copyOfRange(raw, 10, raw.length));
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    Path file = write(dir.resolve("multi.gz"), both);
    assertEquals(20, IdxReader.read(file, 1, "label").count());
  }

  @Test
  void missingFile() {
    Path file = dir.resolve("nope.gz");
    var e = assertThrows(MnistFormatException.class, () -> IdxReader.read(file, 1, "label"));
    assertEquals(file + ": no such file", e.getMessage());
  }

  @Test
  void directoryInsteadOfFile() {
    var e = assertThrows(MnistFormatException.class, () -> IdxReader.read(dir, 1, "label"));
    assertMentions(e, "not a regular file");
  }

  @Test
  void emptyFile() throws IOException {
    assertMentions(fails(new byte[0], 1, "label"), "empty file");
  }

  @Test
  void notIdxData() throws IOException {
    assertMentions(fails("hello, this is text".getBytes(), 3, "image"), "not an IDX image file",
        "magic 0x00000803 expected", "found 0x68656c6c");
  }

  @Test
  void truncatedGzipStreamSaysWhereItEnds() throws IOException {
    byte[] gz = gzip(images(50, 28, 28));
    int kept = gz.length / 2;
    var e = fails(Arrays.copyOf(gz, kept), 3, "image");
    // 50 images of 28x28 and a 16-byte header: 39216 bytes
    assertTrue(e.getMessage().matches(".*: truncated gzip stream: the file ends after " + kept
        + " bytes, \\d+ decompressed bytes into the 39216 that the IDX header declares"), e.getMessage());
  }

  @Test
  void truncatedGzipStreamInsideTheHeaderOrTheTrailer() throws IOException {
    byte[] gz = gzip(images(50, 28, 28));
    assertMentions(fails(Arrays.copyOf(gz, 12), 3, "image"),
        "truncated gzip stream: the file ends after 12 bytes, inside the IDX header");
    assertMentions(fails(Arrays.copyOf(gz, gz.length - 4), 3, "image"), "truncated gzip stream: the file ends after "
        + (gz.length - 4) + " bytes, before the end of the gzip stream (all 39216 bytes of the IDX file decompressed)");
  }

  @Test
  void corruptGzipData() throws IOException {
    byte[] gz = gzip(images(50, 28, 28));
    for (int i = 20; i < gz.length - 8; i += 7) {
      gz[i] ^= 0x5a;
    }
    var e = fails(gz, 3, "image");
    assertTrue(e.getMessage().contains("gzip") || e.getMessage().contains("unreadable")
        || e.getMessage().contains("data length"), e.getMessage());
  }

  @Test
  void otherCompressionIsNamed() throws IOException {
    byte[] bzip2Magic = {'B', 'Z', 'h', '9', 0x31, 0x41, 0x59, 0x26, 0x53, 0x59, 0, 0, 0, 0};
    assertMentions(fails(bzip2Magic, 1, "label"), "compressed as bzip2", "gzip or uncompressed IDX expected");
  }

  @Test
  void wrongMagicImagesFileInPlaceOfLabels() throws IOException {
    assertMentions(fails(gzip(images(2, 28, 28)), 1, "label"), "not an IDX label file",
        "magic 0x00000801 expected, found 0x00000803");
  }

  @Test
  void elementTypeOtherThanUnsignedByte() throws IOException {
    assertMentions(fails(gzip(idx(0x0D, new int[] {1}, new byte[4])), 1, "label"),
        "element type 0x0d (float)", "unsigned byte (0x08) expected");
  }

  @Test
  void truncatedHeader() throws IOException {
    byte[] header = Arrays.copyOf(images(1, 28, 28), 10);
    assertMentions(fails(gzip(header), 3, "image"), "truncated IDX header", "16 bytes expected, found 10");
  }

  @Test
  void tooFewBytesGzipAndPlain() throws IOException {
    byte[] raw = images(4, 28, 28);
    byte[] shortRaw = Arrays.copyOf(raw, raw.length - 1);
    assertMentions(fails(gzip(shortRaw), 3, "image"), "3136 bytes expected for 4 images of 28x28, found 3135");
    assertMentions(fails(shortRaw, 3, "image"), "3136 bytes expected", "found 3135");
  }

  @Test
  void tooManyBytesGzipAndPlain() throws IOException {
    byte[] raw = labels(5);
    byte[] longRaw = Arrays.copyOf(raw, raw.length + 3);
    assertMentions(fails(gzip(longRaw), 1, "label"), "5 bytes expected for 5 labels, found more");
    assertMentions(fails(longRaw, 1, "label"), "5 bytes expected for 5 labels, found 8");
  }

  @Test
  void negativeCount() throws IOException {
    assertMentions(fails(gzip(idx(0x08, new int[] {-5}, new byte[0])), 1, "label"),
        "negative dimension -5");
  }

  @Test
  void hugeDeclaredCountOnSmallFileAllocatesNothingUpFront() throws IOException {
    byte[] labels = idx(0x08, new int[] {Integer.MAX_VALUE}, new byte[10_000]);
    byte[] images = idx(0x08, new int[] {Integer.MAX_VALUE, 28, 28}, new byte[784]);
    byte[] gzLabels = gzip(labels);
    byte[] gzImages = gzip(images);
    long allocated = Allocations.byThisThread(() -> {
      assertMentions(fails(gzLabels, 1, "label"), "2147483647 bytes expected for 2147483647 labels, found 10000");
      assertMentions(fails(labels, 1, "label"), "2147483647 bytes expected", "found 10000");
      assertMentions(fails(gzImages, 3, "image"), "2147483647 images of 28x28", "found 784");
    });
    assertTrue(allocated < 64L << 20, "no large allocation: " + (allocated >> 20) + " MB");
  }

  @Test
  void decompressionBombStopsAtTheDeclaredLength() throws IOException {
    // Declares 10 labels, then inflates to 200 MB: the reader must stop right after the 11th byte.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(idx(0x08, new int[] {10}, new byte[0]));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 200; i++) {
        out.write(zeros);
      }
    }
    byte[] bomb = bytes.toByteArray();
    assertTrue(bomb.length < 1 << 20, "the bomb is small on disk");
    // Corrupt the deflate data halfway (about 100 MB into the inflated stream): a reader that went on past the
    // declared length would report the corruption instead of the length.
    for (int i = bomb.length / 2; i < bomb.length / 2 + 64; i++) {
      bomb[i] ^= 0x5a;
    }
    long allocated = Allocations.byThisThread(
        () -> assertMentions(fails(bomb, 1, "label"), "10 bytes expected for 10 labels, found more"));
    assertTrue(allocated < 64L << 20, "read only what it needed: " + (allocated >> 20) + " MB allocated");
  }

  @Test
  void bombWithHugeHeaderIsCountedNotStored() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(idx(0x08, new int[] {Integer.MAX_VALUE}, new byte[0]));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 300; i++) {
        out.write(zeros);
      }
    }
    long allocated = Allocations.byThisThread(() -> assertMentions(fails(bytes.toByteArray(), 1, "label"),
        "2147483647 bytes expected", "found 314572800"));
    assertTrue(allocated < 64L << 20, "300 MB counted in a small buffer: " + (allocated >> 20) + " MB allocated");
  }
}
