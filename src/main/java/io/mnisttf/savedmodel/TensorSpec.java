package io.mnisttf.savedmodel;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * One input or output of a signature, as the SavedModel declares it.
 *
 * @param key the signature's name for it ({@code images}, {@code flatten_input}, {@code output_0}, ...)
 * @param name the graph tensor, {@code "op:index"}
 * @param dtype element type
 * @param dims dimensions, -1 where unknown; {@code null} when even the rank is unknown
 */
public record TensorSpec(String key, String name, DataType dtype, long[] dims) {
  public TensorSpec {
    dims = dims == null ? null : dims.clone();
  }

  /** Reads a signature's TensorInfo, honouring its {@code unknown_rank} flag. */
  public static TensorSpec of(String key, TensorInfo info) {
    return new TensorSpec(key, info.getName(), info.getDtype(), dims(info.getTensorShape()));
  }

  /** The dimensions of a shape proto, or {@code null} for unknown rank. */
  public static long[] dims(TensorShapeProto shape) {
    if (shape.getUnknownRank()) {
      return null;
    }
    return shape.getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
  }

  @Override
  public long[] dims() {
    return dims == null ? null : dims.clone();
  }

  /** The rank, or -1 when unknown. */
  public int rank() {
    return dims == null ? -1 : dims.length;
  }

  /** A copy with other dimensions (for example the graph placeholder's, more specific ones). */
  public TensorSpec withDims(long[] newDims) {
    return new TensorSpec(key, name, dtype, newDims);
  }

  /** The shape as {@code [-1,28,28]}, or {@code unknown rank}. */
  public String shapeText() {
    return shapeText(dims);
  }

  public static String shapeText(long[] dims) {
    if (dims == null) {
      return "unknown rank";
    }
    return Arrays.stream(dims).mapToObj(Long::toString).collect(Collectors.joining(",", "[", "]"));
  }

  /** {@code images DT_FLOAT [-1,28,28]}. */
  public String describe() {
    return key + " " + dtype + " " + shapeText();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec t && key.equals(t.key) && name.equals(t.name) && dtype == t.dtype
        && Arrays.equals(dims, t.dims);
  }

  @Override
  public int hashCode() {
    return (key.hashCode() * 31 + name.hashCode()) * 31 + Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return describe() + " (" + name + ")";
  }
}
