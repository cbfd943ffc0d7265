package io.mnisttf.serve;

import io.mnisttf.savedmodel.internal.worker.WireTensor;
import io.mnisttf.serve.json.JsonParser;
import io.mnisttf.serve.json.JsonValue;
import io.mnisttf.serve.json.PrettyJson;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorInfo;

/**
 * The JSON of a TF Serving {@code :predict} request, as its {@code json_tensor.cc} reads it: a request in
 * row format ({@code "instances"}: one value, list or object per instance) or columnar format
 * ({@code "inputs"}: a value or an object of named values) becomes named tensors of the signature's dtypes, with
 * every check and message of the model server. A {@code DT_STRING} value may be given as
 * {@code {"b64": "<base64>"}}. The answer is written by {@link PredictResponse}, in the request's {@link Format}.
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
}
