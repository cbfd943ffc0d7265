package io.mnisttf.serve;

import io.mnisttf.savedmodel.internal.worker.WireTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorInfo;

/**
 * The JSON of TF Serving's {@code :predict}, both ways, as its {@code json_tensor.cc} defines it: a request in
 * row format ({@code "instances"}: one value, list or object per instance) or columnar format
 * ({@code "inputs"}: a value or an object of named values) becomes named tensors of the signature's dtypes, with
 * every check and message of the model server; outputs become {@code {"predictions": ...}} (one value, or one
 * object of named values, per instance) or {@code {"outputs": ...}}, laid out as the model server lays them out.
 * A {@code DT_STRING} value may be given as {@code {"b64": "<base64>"}}; outputs whose name ends in {@code _bytes}
 * are written that way.
 */
final class PredictCodec {
  static final String DEFAULT_SIGNATURE = "serving_default";

  /** How the request gave its tensors, and so how the response gives them. */
  enum Format { ROW, COLUMNAR }

  /**
   * A decoded predict request.
   *
   * @param signatureName the {@code signature_name} given, or empty for the default ({@code serving_default})
   */
  record Request(String signatureName, Format format, Map<String, WireTensor> inputs) {}

  /** The inputs of a signature by name, or the error TF Serving gives for an unknown model or signature. */
  interface InputsLookup {
    Map<String, TensorInfo> inputs(String signatureName) throws ServingException;
  }

  private PredictCodec() {}

  /** Parses a request body into a JSON object ({@code ParseJson}). */
  static JsonValue.Obj document(byte[] body) throws ServingException {
    if (body.length == 0) {
      throw ServingException.invalidArgument("JSON Parse error: The document is empty");
    }
    JsonValue doc;
    try {
      doc = JsonParser.parse(body);
    } catch (JsonParser.ParseError e) {
      throw ServingException.invalidArgument("JSON Parse error: " + e.getMessage() + " at offset: " + e.offset());
    }
    if (!(doc instanceof JsonValue.Obj o)) {
      throw ServingException.invalidArgument("JSON Value: " + PrettyJson.quoted(doc) + " Is not object");
    }
    return o;
  }

  /** The request's {@code signature_name}, or empty when absent ({@code FillSignature}). */
  static String signatureName(JsonValue.Obj doc) throws ServingException {
    JsonValue s = doc.get("signature_name");
    if (s == null) {
      return "";
    }
    if (!(s instanceof JsonValue.Str str)) {
      throw ServingException.invalidArgument("JSON Value: " + PrettyJson.quoted(doc)
          + " not formatted correctly. 'signature_name' key must be a string value.");
    }
    return str.value();
  }

  /** Decodes a predict request ({@code FillPredictRequestFromJson}). */
  static Request parse(byte[] body, InputsLookup lookup) throws ServingException {
    JsonValue.Obj doc = document(body);
    String signature = signatureName(doc);
    Map<String, TensorInfo> infos = new TreeMap<>(lookup.inputs(signature));
    if (infos.isEmpty()) {
      throw ServingException.invalidArgument("Failed to get input map for signature: "
          + (signature.isEmpty() ? "DEFAULT" : signature));
    }
    JsonValue instances = doc.get("instances");
    JsonValue inputs = doc.get("inputs");
    if (instances != null) {
      if (inputs != null) {
        throw ServingException.invalidArgument("JSON Value: " + PrettyJson.quoted(doc) + " Not formatted correctly"
            + " expecting only one of 'inputs' or 'instances' keys to exist ");
      }
      if (!(instances instanceof JsonValue.Arr list)) {
        throw ServingException.invalidArgument("JSON Value: " + PrettyJson.quoted(doc)
            + " Excepting 'instances' to be an list/array");
      }
      if (list.items().isEmpty()) {
        throw ServingException.invalidArgument("JSON Value: " + PrettyJson.quoted(doc)
            + " No values in 'instances' array");
      }
      return new Request(signature, Format.ROW, rows(list, infos));
    }
    if (inputs != null) {
      return new Request(signature, Format.COLUMNAR, columns(inputs, infos));
    }
    throw ServingException.invalidArgument("Missing 'inputs' or 'instances' key");
  }

  /** An object that holds named tensors (not a {@code {"b64": ...}} value). */
  private static boolean isElementObject(JsonValue v) {
    return v instanceof JsonValue.Obj && !TensorBuilder.isBase64(v);
  }

  /** One input's values from the instances so far: the first instance sets the size and shape. */
  private static final class Column {
    final TensorBuilder builder;
    int size = -1;
    long[] shape;

    Column(DataType dtype) {
      builder = new TensorBuilder(dtype);
    }
  }

  private static Map<String, WireTensor> rows(JsonValue.Arr list, Map<String, TensorInfo> infos)
      throws ServingException {
    if (!(list.items().get(0) instanceof JsonValue.Obj) && infos.size() > 1) {
      throw ServingException.invalidArgument("instances is a plain list, but expecting list of objects as multiple"
          + " input tensors required as per tensorinfo_map");
    }
    boolean objects = isElementObject(list.items().get(0));
    TreeSet<String> names = new TreeSet<>(infos.keySet());
    Map<String, Column> columns = new LinkedHashMap<>();
    for (int k = 0; k < list.items().size(); k++) {
      JsonValue element = list.items().get(k);
      if (objects) {
        if (!isElementObject(element)) {
          throw ServingException.invalidArgument("Expecting object but got list at item " + k + " of input list");
        }
        TreeSet<String> keys = new TreeSet<>();
        for (Map.Entry<String, JsonValue> member : ((JsonValue.Obj) element).members()) {
          keys.add(member.getKey());
          try {
            addInstance(member.getValue(), member.getKey(), infos, columns);
          } catch (ServingException e) {
            throw ServingException.invalidArgument("Failed to process element: " + k + " key: " + member.getKey()
                + " of 'instances' list. Error: " + statusText(e));
          }
        }
        if (!keys.equals(names)) {
          throw ServingException.invalidArgument("Failed to process element: " + k + " of 'instances' list. JSON"
              + " object: " + PrettyJson.quoted(element) + " must only have keys: " + String.join(",", names));
        }
      } else {
        if (isElementObject(element)) {
          throw ServingException.invalidArgument("Expecting value/list but got object at item " + k
              + " of input list");
        }
        try {
          addInstance(element, names.first(), infos, columns);
        } catch (ServingException e) {
          throw ServingException.invalidArgument("Failed to process element: " + k + " of 'instances' list. Error: "
              + statusText(e));
        }
      }
    }
    Map<String, WireTensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, Column> c : columns.entrySet()) {
      long[] shape = new long[c.getValue().shape.length + 1];
      shape[0] = list.items().size();
      System.arraycopy(c.getValue().shape, 0, shape, 1, c.getValue().shape.length);
      tensors.put(c.getKey(), build(c.getKey(), c.getValue().builder, shape));
    }
    return tensors;
  }

  private static void addInstance(JsonValue item, String name, Map<String, TensorInfo> infos,
      Map<String, Column> columns) throws ServingException {
    TensorInfo info = infos.get(name);
    if (info == null) {
      throw ServingException.invalidArgument("JSON object: does not have named input: " + name);
    }
    Column column = columns.computeIfAbsent(name, n -> new Column(info.getDtype()));
    long[] shape = TensorBuilder.denseShape(item);
    int size = column.builder.fill(item, shape);
    if (column.size < 0) {
      column.size = size;
      column.shape = shape;
    } else if (column.size != size) {
      throw ServingException.invalidArgument("Expecting tensor size: " + column.size + " but got: " + size);
    } else if (!Arrays.equals(column.shape, shape)) {
      throw ServingException.invalidArgument("Expecting shape " + shapeText(column.shape) + " but got: "
          + shapeText(shape));
    }
  }

  private static Map<String, WireTensor> columns(JsonValue inputs, Map<String, TensorInfo> infos)
      throws ServingException {
    Map<String, WireTensor> tensors = new LinkedHashMap<>();
    if (!(inputs instanceof JsonValue.Obj) || TensorBuilder.isBase64(inputs)) {
      if (infos.size() > 1) {
        throw ServingException.invalidArgument("inputs is a plain value/list, but expecting an object as multiple"
            + " input tensors required as per tensorinfo_map");
      }
      Map.Entry<String, TensorInfo> only = infos.entrySet().iterator().next();
      tensors.put(only.getKey(), column(only.getKey(), inputs, only.getValue()));
      return tensors;
    }
    JsonValue.Obj named = (JsonValue.Obj) inputs;
    for (Map.Entry<String, TensorInfo> info : infos.entrySet()) {
      JsonValue item = named.get(info.getKey());
      if (item == null) {
        throw ServingException.invalidArgument("Missing named input: " + info.getKey() + " in 'inputs' object.");
      }
      tensors.put(info.getKey(), column(info.getKey(), item, info.getValue()));
    }
    return tensors;
  }

  private static WireTensor column(String name, JsonValue value, TensorInfo info) throws ServingException {
    TensorBuilder builder = new TensorBuilder(info.getDtype());
    long[] shape = TensorBuilder.denseShape(value);
    builder.fill(value, shape);
    return build(name, builder, shape);
  }

  private static WireTensor build(String name, TensorBuilder builder, long[] shape) throws ServingException {
    if (builder.count() != WireTensor.count(shape)) {
      throw ServingException.invalidArgument("tensor parsing error: " + name);
    }
    return builder.build(shape);
  }

  /** A shape as TF Serving's messages write it: {@code [2,3]}. */
  static String shapeText(long[] shape) {
    return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(",", "[", "]"));
  }

  /** TensorFlow's {@code Status::ToString()}: {@code INVALID_ARGUMENT: <message>}. */
  static String statusText(ServingException e) {
    return e.code().name() + ": " + e.getMessage();
  }

  /**
   * The response to a predict request ({@code MakeJsonFromTensors}): outputs in name order, as
   * {@code predictions} (row format; every output must have the same batch size) or {@code outputs}.
   */
  static String write(Map<String, WireTensor> outputs, Format format) throws ServingException {
    if (outputs.isEmpty()) {
      throw ServingException.invalidArgument("Cannot convert empty tensor map to JSON");
    }
    Map<String, WireTensor> sorted = new TreeMap<>(outputs);
    boolean objects = sorted.size() > 1;
    PrettyJson json = new PrettyJson();
    if (format == Format.ROW) {
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
