package io.mnisttf.savedmodel.internal.worker;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import org.tensorflow.proto.DataType;

/**
 * A tensor on its way to or from a model worker: a TensorFlow dtype, a shape and the elements, row-major.
 * Fixed-size elements are held as little-endian bytes ({@link #data}: float32, float64, float16, bfloat16, the
 * integer types, and bool as one byte 0 or 1); strings as one byte array each ({@link #strings}).
 *
 * @param dtype the element type
 * @param shape the dimensions (none for a scalar), each at least 0
 * @param data the elements' bytes for fixed-size types ({@code count * elementSize(dtype)} bytes), else
 *     {@code null}
 * @param strings the elements of a {@code DT_STRING} tensor ({@code count} of them), else {@code null}
 */
public record WireTensor(DataType dtype, long[] shape, byte[] data, byte[][] strings) {
  public WireTensor {
    Objects.requireNonNull(dtype, "dtype");
    shape = shape.clone();
    long count = count(shape);
    if (dtype == DataType.DT_STRING) {
      if (strings == null || data != null || strings.length != count) {
        throw new IllegalArgumentException("a string tensor of shape " + Arrays.toString(shape) + " needs "
            + count + " strings");
      }
    } else {
      int size = elementSize(dtype);
      if (size == 0) {
        throw new IllegalArgumentException("no fixed element size for " + dtype);
      }
      if (data == null || strings != null || data.length != count * size) {
        throw new IllegalArgumentException(dtype + " tensor of shape " + Arrays.toString(shape) + " needs "
            + count * size + " bytes");
      }
    }
  }

  /** A tensor of fixed-size elements from their little-endian bytes. */
  public static WireTensor of(DataType dtype, long[] shape, byte[] data) {
    return new WireTensor(dtype, shape, data, null);
  }

  /** A {@code DT_STRING} tensor. */
  public static WireTensor ofStrings(long[] shape, byte[][] strings) {
    return new WireTensor(DataType.DT_STRING, shape, null, strings);
  }

  /** The number of elements of {@code shape} (1 for a scalar); throws for a negative or overflowing shape. */
  public static long count(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** Bytes per element of a fixed-size type; 0 for strings and types the wire does not carry. */
  public static int elementSize(DataType dtype) {
    return switch (dtype) {
      case DT_FLOAT, DT_INT32, DT_UINT32 -> 4;
      case DT_DOUBLE, DT_INT64, DT_UINT64 -> 8;
      case DT_HALF, DT_BFLOAT16, DT_INT16, DT_UINT16 -> 2;
      case DT_INT8, DT_UINT8, DT_BOOL -> 1;
      default -> 0;
    };
  }

  /** The number of elements. */
  public long count() {
    return count(shape);
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The size of dimension {@code i}. */
  public long dim(int i) {
    return shape[i];
  }

  /** The number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** The fixed-size elements as a little-endian buffer (read-only view). */
  public ByteBuffer buffer() {
    return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Bytes this tensor takes on the wire, about. */
  public long wireBytes() {
    if (strings == null) {
      return data.length + 16L + 8L * shape.length;
    }
    long n = 16L + 8L * shape.length;
    for (byte[] s : strings) {
      n += 4 + s.length;
    }
    return n;
  }
}
