package io.mnisttf.serve;

import com.google.protobuf.ByteString;
import io.mnisttf.savedmodel.internal.worker.WireTensor;
import io.mnisttf.serve.json.Decimals;
import io.mnisttf.serve.json.JsonValue;
import io.mnisttf.serve.json.PrettyJson;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.SignatureDef;

/**
 * TF Serving's {@code :classify} and {@code :regress}, as its {@code json_tensor.cc}, {@code classifier.cc} and
 * {@code regressor.cc} define them: the request's {@code examples} (and optional {@code context}) become
 * serialized {@code tf.Example}s (JSON floats are {@code float_list}, whole numbers and booleans
 * {@code int64_list}, strings and {@code {"b64": ...}} {@code bytes_list}), fed as the signature's one string
 * input {@code inputs}; the answer is {@code {"results": [[[label, score], ...], ...]}} from the signature's
 * {@code classes} and/or {@code scores} outputs, or {@code {"results": [value, ...]}} from a regression
 * signature's {@code outputs}. Every check and message is the model server's.
 */
final class ExampleCodec {
  static final String CLASSIFY_METHOD = "tensorflow/serving/classify";
  static final String REGRESS_METHOD = "tensorflow/serving/regress";
  static final String INPUTS = "inputs";

  private ExampleCodec() {}

  /**
   * A decoded classify or regress request.
   *
   * @param signatureName the {@code signature_name} given, or empty for {@code serving_default}
   * @param examples each example serialized, the context's serialization first when there is a context
   */
  record Request(String signatureName, List<byte[]> examples) {
    /** The examples as the signature's input tensor: a string vector. */
    Map<String, WireTensor> inputs() {
      return Map.of(INPUTS, WireTensor.ofStrings(new long[] {examples.size()}, examples.toArray(new byte[0][])));
    }
  }

  /** Decodes a classify or regress request ({@code FillClassifyRegressRequestFromJson}). */
  static Request parse(byte[] body) throws ServingException {
    JsonValue.Obj doc = PredictCodec.document(body);
    String signature = PredictCodec.signatureName(doc);
    byte[] context = null;
    JsonValue c = doc.get("context");
    if (c != null) {
      context = example(c).toByteArray();
    }
    JsonValue examples = doc.get("examples");
    if (examples == null) {
      throw ServingException.invalidArgument("JSON Value: " + PrettyJson.quoted(doc)
          + " When method is classify, key 'examples' is expected and was not found");
    }
    if (!(examples instanceof JsonValue.Arr list)) {
      throw ServingException.invalidArgument("JSON Value: " + PrettyJson.quoted(doc)
          + " Expecting 'examples' value to be an list/array");
    }
    if (list.items().isEmpty()) {
      throw ServingException.invalidArgument("JSON Value: " + PrettyJson.quoted(doc)
          + " 'examples' value is an empty array");
    }
    List<byte[]> serialized = new ArrayList<>();
    for (JsonValue item : list.items()) {
      byte[] e = example(item).toByteArray();
      if (context != null) {
        byte[] both = new byte[context.length + e.length];
        System.arraycopy(context, 0, both, 0, context.length);
        System.arraycopy(e, 0, both, context.length, e.length);
        e = both;
      }
      serialized.add(e);
    }
    return new Request(signature, serialized);
  }

  /** {@code MakeExampleFromJsonObject}. */
  private static Example example(JsonValue v) throws ServingException {
    if (!(v instanceof JsonValue.Obj o)) {
      throw ServingException.invalidArgument("Example must be JSON object but got JSON " + v.typeName());
    }
    Features.Builder features = Features.newBuilder();
    for (Map.Entry<String, JsonValue> member : o.members()) {
      Feature.Builder feature = Feature.newBuilder();
      if (member.getValue() instanceof JsonValue.Arr a) {
        for (JsonValue item : a.items()) {
          addValue(item, member.getKey(), feature);
        }
      } else {
        addValue(member.getValue(), member.getKey(), feature);
      }
      features.putFeature(member.getKey(), feature.build());
    }
    return Example.newBuilder().setFeatures(features).build();
  }

  private static boolean isKind(Feature.Builder f, Feature.KindCase kind) {
    return f.getKindCase() == Feature.KindCase.KIND_NOT_SET || f.getKindCase() == kind;
  }

  private static ServingException incompatible(String name, Feature.Builder f) {
    String kind = switch (f.getKindCase()) {
      case BYTES_LIST -> "bytes";
      case FLOAT_LIST -> "float";
      case INT64_LIST -> "int64";
      default -> "UNKNOWN";
    };
    return ServingException.invalidArgument("Unexpected element type in feature: " + name + " expecting type: " + kind);
  }

  /** {@code AddValueToFeature}. */
  private static void addValue(JsonValue v, String name, Feature.Builder f) throws ServingException {
    if (v instanceof JsonValue.Bool b) {
      if (!isKind(f, Feature.KindCase.INT64_LIST)) {
        throw incompatible(name, f);
      }
      f.getInt64ListBuilder().addValue(b.value() ? 1 : 0);
    } else if (v instanceof JsonValue.Obj) {
      if (!TensorBuilder.isBase64(v)) {
        throw ServingException.invalidArgument("Feature: " + name + " has element with unexpected JSON type: "
            + v.typeName());
      }
      if (!isKind(f, Feature.KindCase.BYTES_LIST)) {
        throw incompatible(name, f);
      }
      f.getBytesListBuilder().addValue(ByteString.copyFrom(TensorBuilder.base64(v)));
    } else if (v instanceof JsonValue.Str s) {
      if (!isKind(f, Feature.KindCase.BYTES_LIST)) {
        throw incompatible(name, f);
      }
      f.getBytesListBuilder().addValue(ByteString.copyFrom(s.value(), StandardCharsets.UTF_8));
    } else if (v instanceof JsonValue.Num n) {
      if (n.isDouble()) {
        if (!isKind(f, Feature.KindCase.FLOAT_LIST)) {
          throw incompatible(name, f);
        }
        double d = n.asDouble();
        if (Double.isFinite(d) && (d > Float.MAX_VALUE || d < -Float.MAX_VALUE)) {
          throw ServingException.invalidArgument("Cannot convert JSON value: " + PrettyJson.quoted(v)
              + " to float without loss of precision.");
        }
        f.getFloatListBuilder().addValue((float) d);
      } else {
        if (!isKind(f, Feature.KindCase.INT64_LIST)) {
          throw incompatible(name, f);
        }
        if (!n.isInt64() && n.isUint64()) {
          throw ServingException.invalidArgument("Feature: " + name + " has uint64 element. Only int64 is supported.");
        }
        f.getInt64ListBuilder().addValue(n.bits());
      }
    } else {
      throw ServingException.invalidArgument("Feature: " + name + " has element with unexpected JSON type: "
          + v.typeName());
    }
  }

  /**
   * The signature a classify or regress request uses ({@code GetClassificationSignatureDef},
   * {@code PreProcessClassification} and their regression twins).
   *
   * @param classify classify (else regress)
   */
  static SignatureDef signature(Map<String, SignatureDef> signatures, String requested, boolean classify)
      throws ServingException {
    String key = requested.isEmpty() ? PredictCodec.DEFAULT_SIGNATURE : requested;
    SignatureDef s = signatures.get(key);
    if (s == null) {
      throw ServingException.invalidArgument("No signature was found with the name: " + key);
    }
    String method = classify ? CLASSIFY_METHOD : REGRESS_METHOD;
    if (!s.getMethodName().equals(method)) {
      throw ServingException.invalidArgument("Expected " + (classify ? "classification" : "regression")
          + " signature method_name to be " + method + ". Was: " + s.getMethodName());
    }
    if (s.getInputsCount() != 1) {
      throw ServingException.invalidArgument("Expected one input Tensor.");
    }
    if (classify && s.getOutputsCount() != 1 && s.getOutputsCount() != 2) {
      throw ServingException.invalidArgument("Expected one or two output Tensors, found " + s.getOutputsCount());
    }
    if (!classify && s.getOutputsCount() != 1) {
      throw ServingException.invalidArgument("Expected one output Tensor.");
    }
    if (!s.containsInputs(INPUTS)) {
      throw new ServingException(Code.FAILED_PRECONDITION, "No " + (classify ? "classification" : "regression")
          + " inputs found in SignatureDef: " + debugString(s));
    }
    if (classify && !s.containsOutputs("classes") && !s.containsOutputs("scores")) {
      throw new ServingException(Code.FAILED_PRECONDITION, "Expected classification signature outputs to contain"
          + " at least one of \"classes\" or \"scores\". Signature was: " + debugString(s));
    }
    if (!classify && !s.containsOutputs("outputs")) {
      throw new ServingException(Code.FAILED_PRECONDITION, "No regression outputs found in SignatureDef: "
          + debugString(s));
    }
    return s;
  }

  /** A signature in protobuf text format, as C++'s {@code DebugString} prints it. */
  private static String debugString(SignatureDef s) {
    return com.google.protobuf.TextFormat.printer().printToString(s);
  }

  /** The classify response ({@code PostProcessClassificationResult}, {@code MakeJsonFromClassificationResult}). */
  static String classification(SignatureDef signature, int examples, Map<String, WireTensor> outputs)
      throws ServingException {
    WireTensor classes = signature.containsOutputs("classes") ? outputs.get("classes") : null;
    WireTensor scores = signature.containsOutputs("scores") ? outputs.get("scores") : null;
    check(classes, "classes", DataType.DT_STRING, examples);
    check(scores, "scores", DataType.DT_FLOAT, examples);
    long perExample = 0;
    if (classes != null && scores != null) {
      if (classes.dim(1) != scores.dim(1)) {
        throw ServingException.invalidArgument("Tensors class and score should match in dim_size(1). Got "
            + classes.dim(1) + " vs. " + scores.dim(1));
      }
      perExample = classes.dim(1);
    } else if (classes != null) {
      perExample = classes.dim(1);
    } else if (scores != null) {
      perExample = scores.dim(1);
    }
    if (examples == 0) {
      throw ServingException.invalidArgument("Cannot convert empty ClassificationResults to JSON");
    }
    ByteBuffer scoreBytes = scores == null ? null : ByteBuffer.wrap(scores.data()).order(ByteOrder.LITTLE_ENDIAN);
    PrettyJson json = new PrettyJson().startObject().key("results").startArray();
    for (int i = 0; i < examples; i++) {
      json.singleLineArrays(true).startArray();
      for (int c = 0; c < perExample; c++) {
        int k = (int) (i * perExample + c);
        json.startArray();
        json.string(classes == null ? "" : new String(classes.strings()[k], StandardCharsets.UTF_8));
        json.raw(Decimals.ofFloat(scoreBytes == null ? 0f : scoreBytes.getFloat(4 * k)));
        json.endArray();
      }
      json.endArray().singleLineArrays(false);
    }
    return json.endArray().endObject().toString();
  }

  private static void check(WireTensor t, String name, DataType dtype, int examples) throws ServingException {
    if (t == null) {
      return;
    }
    if (t.rank() != 2) {
      throw ServingException.invalidArgument("Expected Tensor shape: [batch_size num_classes] but got "
          + PredictCodec.shapeText(t.shape()));
    }
    if (t.dtype() != dtype) {
      throw ServingException.invalidArgument("Expected " + name + " Tensor of " + dtype + ". Got: " + t.dtype());
    }
    if (t.dim(0) != examples) {
      throw ServingException.invalidArgument("Expected " + name + " output batch size of " + examples + ". Got: "
          + t.dim(0));
    }
  }

  /** The regress response ({@code PostProcessRegressionResult}, {@code MakeJsonFromRegressionResult}). */
  static String regression(int examples, Map<String, WireTensor> outputs) throws ServingException {
    WireTensor out = outputs.get("outputs");
    if (out == null) {
      throw ServingException.invalidArgument("Could not find output tensor 'outputs'");
    }
    if (!(out.rank() == 1 || (out.rank() == 2 && out.dim(1) == 1))) {
      throw ServingException.invalidArgument("Expected output Tensor shape to be either [batch_size] or "
          + "[batch_size, 1] but got " + PredictCodec.shapeText(out.shape()));
    }
    if (examples != out.dim(0)) {
      throw ServingException.invalidArgument("Input batch size did not match output batch size: " + examples
          + " vs. " + out.dim(0));
    }
    if (out.dtype() != DataType.DT_FLOAT) {
      throw ServingException.invalidArgument("Expected output Tensor of DT_FLOAT.  Got: " + out.dtype());
    }
    ByteBuffer b = ByteBuffer.wrap(out.data()).order(ByteOrder.LITTLE_ENDIAN);
    PrettyJson json = new PrettyJson().startObject().key("results").singleLineArrays(true).startArray();
    for (int i = 0; i < examples; i++) {
      json.raw(Decimals.ofFloat(b.getFloat(4 * i)));
    }
    return json.endArray().endObject().toString();
  }
}
