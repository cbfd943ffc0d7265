package io.mnisttf.checkpoint;

import io.mnisttf.train.WeightSnapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A {@link WeightSnapshot} on disk: magic {@code MTWS}, format version, variable count, then per variable
 * its name, rank, dimensions and float32 values (big endian), and a CRC32 of everything before it.
 */
final class WeightSnapshotFile {
  private static final int MAGIC = 0x4d545753; // "MTWS"
  private static final int VERSION = 1;
  private static final int MAX_VALUES = 1 << 28;

  private WeightSnapshotFile() {}

  static byte[] encode(WeightSnapshot snapshot) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(snapshot.names().size());
      for (int i = 0; i < snapshot.names().size(); i++) {
        out.writeUTF(snapshot.names().get(i));
        long[] shape = snapshot.shapes().get(i);
        out.writeInt(shape.length);
        for (long d : shape) {
          out.writeLong(d);
        }
        float[] values = snapshot.values().get(i);
        out.writeInt(values.length);
        for (float v : values) {
          out.writeFloat(v);
        }
      }
      CRC32 crc = new CRC32();
      crc.update(bytes.toByteArray());
      out.writeInt((int) crc.getValue());
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory failed", e);
    }
    return bytes.toByteArray();
  }

  static WeightSnapshot read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length < 16) {
      throw new CheckpointException(file, "truncated weights file (" + bytes.length + " bytes)");
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 4);
    int stored = ((bytes[bytes.length - 4] & 0xff) << 24) | ((bytes[bytes.length - 3] & 0xff) << 16)
        | ((bytes[bytes.length - 2] & 0xff) << 8) | (bytes[bytes.length - 1] & 0xff);
    if ((int) crc.getValue() != stored) {
      throw new CheckpointException(file, "corrupt weights file (checksum mismatch)");
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 4))) {
      if (in.readInt() != MAGIC || in.readInt() != VERSION) {
        throw new CheckpointException(file, "not a weights file of this tool (format " + VERSION + " expected)");
      }
      int count = in.readInt();
      List<String> names = new ArrayList<>();
      List<long[]> shapes = new ArrayList<>();
      List<float[]> values = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        names.add(in.readUTF());
        long[] shape = new long[in.readInt()];
        for (int d = 0; d < shape.length; d++) {
          shape[d] = in.readLong();
        }
        int n = in.readInt();
        if (n < 0 || n > MAX_VALUES || n != Arrays.stream(shape).reduce(1, Math::multiplyExact)) {
          throw new CheckpointException(file, "variable " + names.get(i) + " declares " + n + " values for shape "
              + Arrays.toString(shape));
        }
        float[] v = new float[n];
        for (int k = 0; k < n; k++) {
          v[k] = in.readFloat();
        }
        shapes.add(shape);
        values.add(v);
      }
      return new WeightSnapshot(names, shapes, values);
    } catch (ArithmeticException | java.io.EOFException e) {
      throw new CheckpointException(file, "corrupt weights file (" + e.getMessage() + ")");
    }
  }
}
