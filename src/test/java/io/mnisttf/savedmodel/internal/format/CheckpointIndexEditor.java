package io.mnisttf.savedmodel.internal.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32C;
import org.tensorflow.proto.BundleEntryProto;

/**
 * Rewrites a checkpoint index with some entries changed (type, shape, place), as a valid table that
 * TensorFlow reads: one data block, an index block, an empty metaindex block and the footer, each block with
 * its type byte and masked CRC-32C. For tests that need checkpoint entries differing from their variables.
 */
public final class CheckpointIndexEditor {
  private CheckpointIndexEditor() {}

  /** Applies {@code change} to the entry named {@code key} of {@code index}; false when there is none. */
  public static boolean edit(Path index, String key, UnaryOperator<BundleEntryProto> change) throws IOException {
    List<byte[][]> kvs = CheckpointIndex.keyValues(index, Files.readAllBytes(index));
    boolean found = false;
    for (byte[][] kv : kvs) {
      if (new String(kv[0], StandardCharsets.UTF_8).equals(key)) {
        kv[1] = change.apply(BundleEntryProto.parseFrom(kv[1])).toByteArray();
        found = true;
      }
    }
    if (found) {
      Files.write(index, table(kvs));
    }
    return found;
  }

  /** The names of the variable entries of {@code index}, in order. */
  public static List<String> keys(Path index) throws IOException {
    List<String> keys = new ArrayList<>();
    for (byte[][] kv : CheckpointIndex.keyValues(index, Files.readAllBytes(index))) {
      String key = new String(kv[0], StandardCharsets.UTF_8);
      if (!key.isEmpty() && !key.equals(CheckpointIndex.OBJECT_GRAPH_KEY)) {
        keys.add(key);
      }
    }
    return keys;
  }

  static byte[] table(List<byte[][]> kvs) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long dataOffset = out.size();
    long dataSize = block(out, kvs);
    long metaOffset = out.size();
    long metaSize = block(out, List.of());
    byte[] lastKey = kvs.isEmpty() ? new byte[0] : kvs.get(kvs.size() - 1)[0];
    ByteArrayOutputStream handle = new ByteArrayOutputStream();
    varint(handle, dataOffset);
    varint(handle, dataSize);
    long indexOffset = out.size();
    long indexSize = block(out, List.<byte[][]>of(new byte[][] {lastKey, handle.toByteArray()}));
    ByteArrayOutputStream footer = new ByteArrayOutputStream();
    varint(footer, metaOffset);
    varint(footer, metaSize);
    varint(footer, indexOffset);
    varint(footer, indexSize);
    byte[] padded = new byte[CheckpointIndex.FOOTER_BYTES];
    System.arraycopy(footer.toByteArray(), 0, padded, 0, footer.size());
    ByteBuffer.wrap(padded).order(ByteOrder.LITTLE_ENDIAN).putLong(40, CheckpointIndex.TABLE_MAGIC);
    out.write(padded);
    return out.toByteArray();
  }

  /** Writes one uncompressed block with a single restart point; returns its size without the trailer. */
  private static long block(ByteArrayOutputStream out, List<byte[][]> kvs) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[][] kv : kvs) {
      varint(b, 0);
      varint(b, kv[0].length);
      varint(b, kv[1].length);
      b.write(kv[0]);
      b.write(kv[1]);
    }
    ByteBuffer restarts = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(1);
    b.write(restarts.array());
    byte[] content = b.toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(content);
    crc.update(0); // type byte: no compression
    int c = (int) crc.getValue();
    int masked = ((c >>> 15) | (c << 17)) + 0xa282ead8;
    out.write(content);
    out.write(0);
    out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(masked).array());
    return content.length;
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7fL) != 0) {
      out.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
