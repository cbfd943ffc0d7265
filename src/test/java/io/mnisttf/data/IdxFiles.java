package io.mnisttf.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests: well-formed ones, and broken ones byte by byte. */
public final class IdxFiles {
  private IdxFiles() {}

  /** IDX bytes: magic (type, rank), the dimensions, then {@code data}. */
  public static byte[] idx(int type, int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    b.put(data);
    return b.array();
  }

  public static byte[] images(int count, int rows, int cols) {
    byte[] data = new byte[count * rows * cols];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 7);
    }
    return idx(0x08, new int[] {count, rows, cols}, data);
  }

  public static byte[] labels(int count) {
    byte[] data = new byte[count];
    for (int i = 0; i < count; i++) {
      data[i] = (byte) (i % 10);
    }
    return idx(0x08, new int[] {count}, data);
  }

  public static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(raw);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return bytes.toByteArray();
  }

  public static Path write(Path file, byte[] content) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.write(file, content);
  }

  /** A complete, valid MNIST folder with {@code train} training and {@code test} test examples. */
  public static Path mnistFolder(Path dir, int train, int test) throws IOException {
    write(dir.resolve(Mnist.TRAIN_IMAGES + ".gz"), gzip(images(train, 28, 28)));
    write(dir.resolve(Mnist.TRAIN_LABELS + ".gz"), gzip(labels(train)));
    write(dir.resolve(Mnist.TEST_IMAGES + ".gz"), gzip(images(test, 28, 28)));
    write(dir.resolve(Mnist.TEST_LABELS + ".gz"), gzip(labels(test)));
    return dir;
  }
}
