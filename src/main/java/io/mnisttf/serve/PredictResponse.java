package io.mnisttf.serve;

import io.mnisttf.savedmodel.internal.worker.WireTensor;
import io.mnisttf.serve.json.Decimals;
import io.mnisttf.serve.json.PrettyJson;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.proto.DataType;

/**
 * The JSON of TF Serving's {@code :predict} answer, as its {@code json_tensor.cc} writes it
 * ({@code MakeJsonFromTensors}): the outputs become {@code {"predictions": ...}} (one value, or one object of named
 * values, per instance) or {@code {"outputs": ...}}, laid out as the model server lays them out. Outputs whose
 * name ends in {@code _bytes} are written as {@code {"b64": "<base64>"}}. The request side is {@link PredictCodec}.
 */
final class PredictResponse {
  private PredictResponse() {}

  /**
   * The response to a predict request ({@code MakeJsonFromTensors}): outputs in name order, as
   * {@code predictions} (row format; every output must have the same batch size) or {@code outputs}.
   */
  static String write(Map<String, WireTensor> outputs, PredictCodec.Format format) throws ServingException {
    if (outputs.isEmpty()) {
      throw ServingException.invalidArgument("Cannot convert empty tensor map to JSON");
    }
    Map<String, WireTensor> sorted = new TreeMap<>(outputs);
    boolean objects = sorted.size() > 1;
    PrettyJson json = new PrettyJson();
    if (format == PredictCodec.Format.ROW) {
      long batch = 0;
      for (Map.Entry<String, WireTensor> e : sorted.entrySet()) {
        WireTensor t = e.getValue();
        if (t.rank() == 0) {
          throw ServingException.invalidArgument("Tensor name: " + e.getKey() + " has no shape information ");
        }
        if (t.dim(0) < 1) {
          throw ServingException.invalidArgument("Tensor name: " + e.getKey() + " has invalid batch size: "
              + t.dim(0));
        }
        if (batch != 0 && batch != t.dim(0)) {
          throw ServingException.invalidArgument("Tensor name: " + e.getKey() + " has inconsistent batch size: "
              + t.dim(0) + " expecting: " + batch);
        }
        batch = t.dim(0);
      }
      json.startObject().key("predictions").startArray();
      Map<String, int[]> offsets = new LinkedHashMap<>();
      sorted.keySet().forEach(k -> offsets.put(k, new int[1]));
      for (long item = 0; item < batch; item++) {
        if (objects) {
          json.startObject();
        }
        json.singleLineArrays(true);
        for (Map.Entry<String, WireTensor> e : sorted.entrySet()) {
          if (objects) {
            json.key(e.getKey());
          }
          values(json, e.getKey(), e.getValue(), 1, offsets.get(e.getKey()));
        }
        json.singleLineArrays(false);
        if (objects) {
          json.endObject();
        }
      }
      json.endArray().endObject();
    } else {
      json.startObject().key("outputs");
      if (objects) {
        json.startObject();
      }
      for (Map.Entry<String, WireTensor> e : sorted.entrySet()) {
        if (objects) {
          json.key(e.getKey());
        }
        values(json, e.getKey(), e.getValue(), 0, new int[1]);
      }
      if (objects) {
        json.endObject();
      }
      json.endObject();
    }
    return json.toString();
  }

  /** {@code AddTensorValues}: dimension {@code dim} and below, from element {@code offset[0]} on. */
  private static void values(PrettyJson json, String name, WireTensor t, int dim, int[] offset)
      throws ServingException {
    if (dim > t.rank() - 1) {
      value(json, name, t, offset[0]++);
      return;
    }
    json.startArray();
    for (long i = 0; i < t.dim(dim); i++) {
      if (dim == t.rank() - 1) {
        value(json, name, t, offset[0]++);
      } else {
        values(json, name, t, dim + 1, offset);
      }
    }
    json.endArray();
  }

  private static void value(PrettyJson json, String name, WireTensor t, int i) throws ServingException {
    DataType dtype = t.dtype();
    if (dtype == DataType.DT_STRING) {
      byte[] s = t.strings()[i];
      if (name.endsWith("_bytes")) {
        json.startObject().key("b64").string(Base64.getEncoder().encodeToString(s)).endObject();
      } else {
        json.string(new String(s, StandardCharsets.UTF_8));
      }
      return;
    }
    ByteBuffer b = ByteBuffer.wrap(t.data()).order(ByteOrder.LITTLE_ENDIAN);
    switch (dtype) {
      case DT_FLOAT -> json.raw(Decimals.ofFloat(b.getFloat(4 * i)));
      case DT_DOUBLE -> json.raw(Decimals.ofDouble(b.getDouble(8 * i)));
      case DT_INT32 -> json.number(b.getInt(4 * i));
      case DT_INT16 -> json.number(b.getShort(2 * i));
      case DT_INT8 -> json.number(b.get(i));
      case DT_UINT8 -> json.number(b.get(i) & 0xff);
      case DT_INT64 -> json.number(b.getLong(8 * i));
      case DT_BOOL -> json.bool(b.get(i) != 0);
      case DT_UINT32 -> json.number(b.getInt(4 * i) & 0xffffffffL);
      case DT_UINT64 -> json.raw(Long.toUnsignedString(b.getLong(8 * i)));
      default -> throw ServingException.invalidArgument("Failed to write JSON value for tensor type: "
          + TensorBuilder.typeName(dtype));
    }
  }
}
