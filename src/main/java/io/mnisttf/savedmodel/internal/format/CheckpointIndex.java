package io.mnisttf.savedmodel.internal.format;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;
import org.tensorflow.proto.BundleEntryProto;
import org.tensorflow.proto.BundleHeaderProto;
import org.tensorflow.proto.DataType;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.TensorSpec;
import io.mnisttf.util.Problems;

/**
 * The index of a TensorFlow checkpoint ({@code variables/variables.index}): which tensors the checkpoint
 * holds, their types and shapes, and where their bytes are in the data shards
 * ({@code variables.data-00000-of-00001}, ...). Read without TensorFlow, to report variable sizes and to
 * find missing or truncated data files before loading.
 *
 * <p>The index is a LevelDB-format table (TensorFlow's {@code lib/io/table}): data blocks of
 * prefix-compressed key/value entries, an index block pointing at them and a 48-byte footer ending in a
 * magic number; each block is followed by a type byte and a masked CRC-32C, which are checked. The entry
 * with the empty key is a {@code BundleHeaderProto}; every other one a {@code BundleEntryProto}.
 *
 * @param file the index file read
 * @param shards number of data shards the header declares
 * @param entries every tensor of the checkpoint, in key order
 */
public record CheckpointIndex(Path file, int shards, List<Entry> entries) {
  /** Longest index file accepted: 256 MiB. */
  public static final long MAX_BYTES = 256L << 20;
  public static final long TABLE_MAGIC = 0xdb4775248b80fb57L;
  public static final int FOOTER_BYTES = 48;
  public static final int BLOCK_TRAILER_BYTES = 5;
  /** The key under which TF2 checkpoints store their object graph (a string, not a variable). */
  public static final String OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH";

  /**
   * One tensor of the checkpoint.
   *
   * @param name checkpoint key (the variable name in TF1-style graphs, an object path in TF2 ones)
   * @param dtype element type
   * @param dims shape
   * @param shard data shard holding its bytes
   * @param offset where its bytes start in that shard
   * @param size how many bytes it takes
   */
  public record Entry(String name, DataType dtype, long[] dims, int shard, long offset, long size) {
    public Entry {
      dims = dims.clone();
    }

    @Override
    public long[] dims() {
      return dims.clone();
    }
  }

  public CheckpointIndex {
    entries = List.copyOf(entries);
  }

  /** The index file of the variables of the SavedModel in {@code modelDir}. */
  public static Path indexFile(Path modelDir) {
    return modelDir.resolve("variables").resolve("variables.index");
  }

  /** Reads and checks an index file. */
  public static CheckpointIndex read(Path file) throws SavedModelException {
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new SavedModelException(file, String.format(Locale.ROOT,
            "%,d bytes, more than the limit of %,d bytes for a checkpoint index", size, MAX_BYTES));
      }
      bytes = Files.readAllBytes(file);
    } catch (SavedModelException e) {
      throw e;
    } catch (IOException e) {
      throw new SavedModelException(file, "cannot be read (" + Problems.describe(e) + ")", e);
    }
    try {
      return parse(file, bytes);
    } catch (IndexOutOfBoundsException | IllegalArgumentException | InvalidProtocolBufferException e) {
      throw new SavedModelException(file, "truncated or not a checkpoint index (" + Problems.describe(e)
          + ")");
    }
  }

  private static CheckpointIndex parse(Path file, byte[] bytes) throws SavedModelException,
      InvalidProtocolBufferException {
    if (bytes.length < FOOTER_BYTES) {
      throw new SavedModelException(file, "truncated or not a checkpoint index (" + bytes.length
          + " bytes, a table footer alone takes " + FOOTER_BYTES + ")");
    }
    ByteBuffer footer = ByteBuffer.wrap(bytes, bytes.length - FOOTER_BYTES, FOOTER_BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    long magic = footer.getLong(bytes.length - 8);
    if (magic != TABLE_MAGIC) {
      throw new SavedModelException(file, String.format(Locale.ROOT,
          "truncated or not a checkpoint index (table magic 0x%016x expected at the end, found 0x%016x)",
          TABLE_MAGIC, magic));
    }
    BundleHeaderProto header = null;
    List<Entry> entries = new ArrayList<>();
    for (byte[][] kv : keyValues(file, bytes)) {
      String key = new String(kv[0], java.nio.charset.StandardCharsets.UTF_8);
      if (key.isEmpty()) {
        header = BundleHeaderProto.parseFrom(kv[1]);
      } else {
        BundleEntryProto e = BundleEntryProto.parseFrom(kv[1]);
        long[] dims = TensorSpec.dims(e.getShape());
        entries.add(new Entry(key, e.getDtype(), dims == null ? new long[0] : dims, e.getShardId(),
            e.getOffset(), e.getSize()));
      }
    }
    if (header == null) {
      throw new SavedModelException(file, "not a checkpoint index (no bundle header entry)");
    }
    if (header.getNumShards() < 1) {
      throw new SavedModelException(file, "corrupt checkpoint index (" + header.getNumShards() + " shards)");
    }
    return new CheckpointIndex(file, header.getNumShards(), entries);
  }

  /** Every key and value of the table, in order (the header's key is empty), after checking each block's CRC. */
  public static List<byte[][]> keyValues(Path file, byte[] bytes) throws SavedModelException {
    int[] pos = {bytes.length - FOOTER_BYTES};
    readVarint(bytes, pos); // metaindex offset
    readVarint(bytes, pos); // metaindex size
    long indexOffset = readVarint(bytes, pos);
    long indexSize = readVarint(bytes, pos);
    List<byte[][]> all = new ArrayList<>();
    for (byte[][] indexEntry : block(file, bytes, indexOffset, indexSize)) {
      int[] handle = {0};
      long offset = readVarint(indexEntry[1], handle);
      long size = readVarint(indexEntry[1], handle);
      all.addAll(block(file, bytes, offset, size));
    }
    return all;
  }

  /** The key/value entries of one block, after checking its trailer's CRC. */
  private static List<byte[][]> block(Path file, byte[] bytes, long offset, long size) throws SavedModelException {
    if (offset < 0 || size < 4 || offset + size + BLOCK_TRAILER_BYTES > bytes.length - FOOTER_BYTES) {
      throw new SavedModelException(file, "truncated or corrupt checkpoint index (block at " + offset + " of "
          + size + " bytes lies outside the file's " + bytes.length + " bytes)");
    }
    int start = (int) offset;
    int end = (int) (offset + size);
    int type = bytes[end] & 0xff;
    CRC32C crc = new CRC32C();
    crc.update(bytes, start, (int) size + 1);
    int expected = ByteBuffer.wrap(bytes, end + 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(end + 1);
    if (unmask(expected) != (int) crc.getValue()) {
      throw new SavedModelException(file, "corrupt checkpoint index (checksum mismatch in the block at " + offset
          + ")");
    }
    if (type != 0) {
      throw new SavedModelException(file, "checkpoint index with compressed blocks (type " + type
          + "), which this reader does not support");
    }
    ByteBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int restarts = view.getInt(end - 4);
    int dataEnd = end - 4 - 4 * restarts;
    if (restarts < 0 || dataEnd < start) {
      throw new SavedModelException(file, "corrupt checkpoint index (" + restarts + " restart points in a block of "
          + size + " bytes)");
    }
    List<byte[][]> result = new ArrayList<>();
    byte[] previous = new byte[0];
    int[] pos = {start};
    while (pos[0] < dataEnd) {
      int shared = (int) readVarint(bytes, pos);
      int unshared = (int) readVarint(bytes, pos);
      int valueLength = (int) readVarint(bytes, pos);
      if (shared > previous.length || unshared < 0 || valueLength < 0
          || pos[0] + (long) unshared + valueLength > dataEnd) {
        throw new SavedModelException(file, "corrupt checkpoint index (bad entry in the block at " + offset + ")");
      }
      byte[] key = Arrays.copyOf(previous, shared + unshared);
      System.arraycopy(bytes, pos[0], key, shared, unshared);
      pos[0] += unshared;
      byte[] value = Arrays.copyOfRange(bytes, pos[0], pos[0] + valueLength);
      pos[0] += valueLength;
      result.add(new byte[][] {key, value});
      previous = key;
    }
    return result;
  }

  private static int unmask(int masked) {
    int rot = masked - 0xa282ead8;
    return (rot >>> 17) | (rot << 15);
  }

  private static long readVarint(byte[] bytes, int[] pos) {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos[0] >= bytes.length) {
        throw new IndexOutOfBoundsException("varint runs past the end of the data");
      }
      byte b = bytes[pos[0]++];
      result |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IllegalArgumentException("varint longer than 10 bytes");
  }

  /** Entries that hold variables: all but the TF2 object graph. */
  public List<Entry> variables() {
    return entries.stream().filter(e -> !e.name().equals(OBJECT_GRAPH_KEY)).toList();
  }

  /** Total bytes of the variables (object graph excluded). */
  public long variableBytes() {
    return variables().stream().mapToLong(Entry::size).sum();
  }

  /** The data file of shard {@code shard} for checkpoint prefix {@code prefix}. */
  public Path dataFile(Path prefix, int shard) {
    return prefix.resolveSibling(String.format(Locale.ROOT, "%s.data-%05d-of-%05d",
        prefix.getFileName(), shard, shards));
  }

  /**
   * Checks that every data shard exists and is long enough for the tensors the index places in it.
   *
   * @param prefix the checkpoint prefix, {@code <model>/variables/variables}
   * @throws SavedModelException naming the first missing or truncated shard
   */
  public void verifyDataFiles(Path prefix) throws SavedModelException {
    long[] needed = new long[shards];
    for (Entry e : entries) {
      if (e.shard() < 0 || e.shard() >= shards) {
        throw new SavedModelException(file, "corrupt checkpoint index (tensor '" + e.name() + "' in shard "
            + e.shard() + " of " + shards + ")");
      }
      needed[e.shard()] = Math.max(needed[e.shard()], e.offset() + e.size());
    }
    for (int shard = 0; shard < shards; shard++) {
      Path data = dataFile(prefix, shard);
      if (!Files.isRegularFile(data)) {
        throw new SavedModelException(data, "missing variables data file (the index lists " + shards
            + " shard" + (shards == 1 ? "" : "s") + ")");
      }
      long size;
      try {
        size = Files.size(data);
      } catch (IOException e) {
        throw new SavedModelException(data, "cannot be read (" + Problems.describe(e) + ")", e);
      }
      if (size < needed[shard]) {
        throw new SavedModelException(data, String.format(Locale.ROOT,
            "truncated variables data file (%,d bytes, the index needs %,d)", size, needed[shard]));
      }
    }
  }
}
