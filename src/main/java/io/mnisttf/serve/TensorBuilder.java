package io.mnisttf.serve;

import io.mnisttf.savedmodel.internal.worker.WireTensor;
import io.mnisttf.serve.json.JsonValue;
import io.mnisttf.serve.json.PrettyJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.tensorflow.proto.DataType;

/**
 * Collects the values of one input tensor from JSON as TF Serving's {@code json_tensor.cc} does
 * ({@code AddValueToTensor}, {@code FillTensorProto}), with its type checks and messages: floats take any JSON
 * number that converts without loss, integer types only whole numbers, strings JSON strings or
 * {@code {"b64": ...}} objects, bools {@code true}/{@code false}; other types are not convertible.
 */
final class TensorBuilder {
  private static final double FLOAT_MAX_INT = (1 << 24) - 1;
  private static final double DOUBLE_MAX_INT = (1L << 53) - 1;

  private final DataType dtype;
  private final int elementSize;
  private byte[] data = new byte[64];
  private int length;
  private final List<byte[]> strings = new ArrayList<>();
  private int count;

  TensorBuilder(DataType dtype) {
    this.dtype = dtype;
    this.elementSize = WireTensor.elementSize(dtype);
  }

  DataType dtype() {
    return dtype;
  }

  /** Values added so far. */
  int count() {
    return count;
  }

  /** TensorFlow's name of a dtype in messages: {@code float}, {@code int64}, {@code half}, ... */
  static String typeName(DataType dtype) {
    String name = dtype.name();
    return name.startsWith("DT_") ? name.substring(3).toLowerCase(Locale.ROOT) : name;
  }

  /**
   * The shape TF Serving reads from a JSON value: one dimension per level of nested arrays, each the size of the
   * first array at that level ({@code GetDenseTensorShape}); none for a scalar.
   */
  static long[] denseShape(JsonValue v) {
    List<Long> dims = new ArrayList<>();
    while (v instanceof JsonValue.Arr a) {
      dims.add((long) a.items().size());
      if (a.items().isEmpty()) {
        break;
      }
      v = a.items().get(0);
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * Adds the values of {@code v}, which must have {@code shape} ({@code FillTensorProto}): leaves at the level
   * equal to the rank, lists of the shape's sizes.
   *
   * @return the number of values added
   */
  int fill(JsonValue v, long[] shape) throws ServingException {
    int before = count;
    fill(v, 0, shape);
    return count - before;
  }

  private void fill(JsonValue v, int level, long[] shape) throws ServingException {
    int rank = shape.length;
    if (!(v instanceof JsonValue.Arr a)) {
      if (level != rank) {
        throw ServingException.invalidArgument("JSON Value: " + PrettyJson.quoted(v) + " found at incorrect level: "
            + (level + 1) + " in the JSON DOM. Expected at level: " + rank);
      }
      if (v instanceof JsonValue.Obj o) {
        if (dtype != DataType.DT_STRING) {
          throw typeError(v);
        }
        addBytes(base64(o));
      } else {
        add(v);
      }
      return;
    }
    if (level >= rank) {
      throw ServingException.invalidArgument("Encountered list at unexpected level: " + level + " expected < " + rank);
    }
    if (a.items().size() != shape[level]) {
      throw ServingException.invalidArgument("Encountered list at unexpected size: " + a.items().size()
          + " at level: " + level + " expected size: " + shape[level]);
    }
    for (JsonValue item : a.items()) {
      fill(item, level + 1, shape);
    }
  }

  /** Whether {@code v} is {@code {"b64": "<string>"}}: an object of exactly that one string member. */
  static boolean isBase64(JsonValue v) {
    return v instanceof JsonValue.Obj o && o.members().size() == 1 && o.get("b64") instanceof JsonValue.Str;
  }

  /** The bytes of a {@code {"b64": ...}} object ({@code JsonDecodeBase64Object}). */
  static byte[] base64(JsonValue v) throws ServingException {
    if (!isBase64(v)) {
      throw ServingException.invalidArgument("JSON Value: " + PrettyJson.quoted(v)
          + " not formatted correctly for base64 data");
    }
    try {
      return Base64.getDecoder().decode(((JsonValue.Str) ((JsonValue.Obj) v).get("b64")).value());
    } catch (IllegalArgumentException e) {
      throw ServingException.invalidArgument("Unable to base64 decode");
    }
  }

  private ServingException typeError(JsonValue v) {
    return ServingException.invalidArgument("JSON Value: " + PrettyJson.quoted(v) + " Type: " + v.typeName()
        + " is not of expected type: " + typeName(dtype));
  }

  private ServingException lossy(JsonValue v, String target) {
    return ServingException.invalidArgument("Cannot convert JSON value: " + PrettyJson.quoted(v) + " to " + target
        + " without loss of precision.");
  }

  /** {@code IsLosslessDecimal}: within the type's exact integers, or its range for a non-integer. */
  private static boolean lossless(JsonValue.Num n, double maxInt, double max) {
    if (!Double.isFinite(n.asDouble())) {
      return true;
    }
    if (n.isUint64()) {
      return n.isInt64() && n.bits() <= maxInt;
    }
    if (n.isInt64()) {
      return n.bits() != Long.MIN_VALUE && Math.abs(n.bits()) <= maxInt;
    }
    return n.asDouble() <= max && n.asDouble() >= -max;
  }

  private void add(JsonValue v) throws ServingException {
    JsonValue.Num n = v instanceof JsonValue.Num num ? num : null;
    switch (dtype) {
      case DT_FLOAT -> {
        if (n == null) {
          throw typeError(v);
        }
        if (!lossless(n, FLOAT_MAX_INT, Float.MAX_VALUE)) {
          throw lossy(v, "float");
        }
        putInt(Float.floatToRawIntBits((float) n.asDouble()), 4);
      }
      case DT_DOUBLE -> {
        if (n == null) {
          throw typeError(v);
        }
        if (!lossless(n, DOUBLE_MAX_INT, Double.MAX_VALUE)) {
          throw lossy(v, "double");
        }
        putLong(Double.doubleToRawLongBits(n.asDouble()));
      }
      case DT_INT32, DT_INT16, DT_INT8, DT_UINT8 -> {
        if (n == null || !n.isInt()) {
          throw typeError(v);
        }
        putInt((int) n.bits(), elementSize); // narrower types keep the low bytes, as TensorFlow's cast does
      }
      case DT_INT64 -> {
        if (n == null || !n.isInt64()) {
          throw typeError(v);
        }
        putLong(n.bits());
      }
      case DT_UINT32 -> {
        if (n == null || !n.isUint()) {
          throw typeError(v);
        }
        putInt((int) n.bits(), 4);
      }
      case DT_UINT64 -> {
        if (n == null || !n.isUint64()) {
          throw typeError(v);
        }
        putLong(n.bits());
      }
      case DT_BOOL -> {
        if (!(v instanceof JsonValue.Bool b)) {
          throw typeError(v);
        }
        putInt(b.value() ? 1 : 0, 1);
      }
      case DT_STRING -> {
        if (!(v instanceof JsonValue.Str s)) {
          throw typeError(v);
        }
        addBytes(s.value().getBytes(StandardCharsets.UTF_8));
      }
      default -> throw new ServingException(Code.UNIMPLEMENTED, "Conversion of JSON Value: " + PrettyJson.quoted(v)
          + " to type: " + typeName(dtype));
    }
  }

  private void addBytes(byte[] b) {
    strings.add(b);
    count++;
  }

  private void ensure(int more) {
    if (length + more > data.length) {
      data = Arrays.copyOf(data, Math.max(data.length * 2, length + more));
    }
  }

  private void putInt(int v, int bytes) {
    ensure(bytes);
    for (int i = 0; i < bytes; i++) {
      data[length++] = (byte) (v >>> (8 * i));
    }
    count++;
  }

  private void putLong(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      data[length++] = (byte) (v >>> (8 * i));
    }
    count++;
  }

  /** The tensor of the values added, with {@code shape} (whose element count must be {@link #count}). */
  WireTensor build(long[] shape) throws ServingException {
    if (dtype != DataType.DT_STRING && elementSize == 0) {
      throw new ServingException(Code.UNIMPLEMENTED, "tensors of type " + typeName(dtype) + " cannot be sent");
    }
    if (dtype == DataType.DT_STRING) {
      return WireTensor.ofStrings(shape, strings.toArray(new byte[0][]));
    }
    return WireTensor.of(dtype, shape, Arrays.copyOf(data, length));
  }
}
