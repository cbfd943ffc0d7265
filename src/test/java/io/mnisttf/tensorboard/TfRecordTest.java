package io.mnisttf.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TfRecordTest {
  @TempDir Path dir;

  private Path writeRecords(List<byte[]> records) throws IOException {
    Path file = dir.resolve("records.tfrecord");
    try (TfRecordWriter writer = new TfRecordWriter(new BufferedOutputStream(Files.newOutputStream(file)))) {
      for (byte[] r : records) {
        writer.write(r);
      }
    }
    return file;
  }

  private static List<byte[]> sampleRecords() {
    Random random = new Random(3);
    List<byte[]> records = new ArrayList<>();
    for (int length : new int[] {0, 1, 40, 100_000}) {
      byte[] r = new byte[length];
      random.nextBytes(r);
      records.add(r);
    }
    return records;
  }

  @Test
  void recordsRoundTripWithTheirFraming() throws IOException {
    List<byte[]> records = sampleRecords();
    Path file = writeRecords(records);
    long expectedSize = records.stream().mapToLong(r -> r.length + TfRecordWriter.FRAME_OVERHEAD).sum();
    assertEquals(expectedSize, Files.size(file));
    List<byte[]> read = TfRecordReader.readAll(file);
    assertEquals(records.size(), read.size());
    for (int i = 0; i < records.size(); i++) {
      assertArrayEquals(records.get(i), read.get(i), "record " + i);
    }
  }

  @Test
  void frameLayoutIsLengthLittleEndianThenMaskedCrcs() throws IOException {
    byte[] data = "abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] bytes = Files.readAllBytes(writeRecords(List.of(data)));
    assertEquals(19, bytes.length);
    assertArrayEquals(new byte[] {3, 0, 0, 0, 0, 0, 0, 0}, Arrays.copyOfRange(bytes, 0, 8));
    assertEquals(MaskedCrc32c.of(bytes, 0, 8), TfRecordReader.getIntLe(bytes, 8));
    assertArrayEquals(data, Arrays.copyOfRange(bytes, 12, 15));
    assertEquals(MaskedCrc32c.of(data), TfRecordReader.getIntLe(bytes, 15));
  }

  /** Flips one byte in each part of the second frame (40 data bytes at offset 16): length, its CRC, data, data CRC. */
  @ParameterizedTest
  @ValueSource(ints = {16, 20, 24, 16 + 12, 16 + 12 + 39, 16 + 12 + 40, 16 + 12 + 43})
  void everyCorruptedByteIsDetectedWithFileAndOffset(int at) throws IOException {
    byte[] forty = new byte[40];
    new Random(5).nextBytes(forty);
    Path file = writeRecords(List.of(new byte[0], forty, new byte[1]));
    byte[] bytes = Files.readAllBytes(file);
    bytes[at] ^= 0x01;
    Files.write(file, bytes);
    var e = assertThrows(TfRecordFormatException.class, () -> TfRecordReader.readAll(file));
    assertEquals(16, e.offset(), e.getMessage());
    assertTrue(e.getMessage().startsWith(file + ": record at offset 16: "), e.getMessage());
    assertTrue(e.getMessage().contains("checksum mismatch") || e.getMessage().contains("past the end"),
        e.getMessage());
  }

  @Test
  void truncatedLastRecordIsReported() throws IOException {
    Path file = writeRecords(List.of(new byte[10], new byte[10]));
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 3));
    var e = assertThrows(TfRecordFormatException.class, () -> TfRecordReader.readAll(file));
    assertEquals(26, e.offset());
    assertTrue(e.getMessage().contains("past the end"), e.getMessage());
  }

  @Test
  void truncatedHeaderIsReported() throws IOException {
    Path file = writeRecords(List.of(new byte[10]));
    Files.write(file, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
    var e = assertThrows(TfRecordFormatException.class, () -> TfRecordReader.readAll(file));
    assertTrue(e.getMessage().contains("truncated header (12 bytes expected, 3 found)"), e.getMessage());
  }

  @Test
  void writingAfterCloseFailsAndCloseIsIdempotent() throws IOException {
    TfRecordWriter writer = new TfRecordWriter(Files.newOutputStream(dir.resolve("x")));
    writer.close();
    writer.close();
    assertThrows(IOException.class, () -> writer.write(new byte[1]));
  }
}
