package io.mnisttf.serve.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/** The JSON pieces that make answers byte-identical to TF Serving's: parser, decimals, layouts. */
class ServeJsonTest {
  private static JsonParser.ParseError parseError(String text) {
    return assertThrows(JsonParser.ParseError.class, () -> JsonParser.parse(text));
  }

  @Test
  void parsesWhatRapidjsonParsesAndRefusesTheRestWithItsMessages() throws Exception {
    JsonValue.Obj o = (JsonValue.Obj) JsonParser.parse("{\"a\": [1, -2, 3000000000, 18446744073709551615, 1.5,"
        + " NaN, -Infinity, Inf, \"x\\u00e9\\n\", true, null, -0], \"a\": 2}");
    List<JsonValue> a = ((JsonValue.Arr) o.get("a")).items();
    JsonValue.Num one = (JsonValue.Num) a.get(0);
    assertTrue(one.isInt() && one.isUint() && one.isInt64() && one.isUint64() && !one.isDouble());
    JsonValue.Num minus = (JsonValue.Num) a.get(1);
    assertTrue(minus.isInt() && minus.isInt64() && !minus.isUint());
    JsonValue.Num big = (JsonValue.Num) a.get(2);
    assertTrue(!big.isInt() && big.isUint() && big.isInt64());
    JsonValue.Num max = (JsonValue.Num) a.get(3);
    assertTrue(max.isUint64() && !max.isInt64());
    assertEquals(-1L, max.bits());
    assertTrue(((JsonValue.Num) a.get(4)).isDouble());
    assertTrue(Double.isNaN(((JsonValue.Num) a.get(5)).asDouble()));
    assertEquals(Double.NEGATIVE_INFINITY, ((JsonValue.Num) a.get(6)).asDouble());
    assertEquals(Double.POSITIVE_INFINITY, ((JsonValue.Num) a.get(7)).asDouble());
    assertEquals("x\u00e9\n", ((JsonValue.Str) a.get(8)).value());
    assertEquals(JsonValue.Null.NULL, a.get(10));
    assertTrue(((JsonValue.Num) a.get(11)).isInt(), "-0 is an integer");
    assertEquals(2, o.members().size(), "duplicate keys are kept; lookups find the first");

    assertEquals("Invalid value.", parseError("instances = [1, 2]").getMessage());
    assertEquals(0, parseError("instances = [1, 2]").offset());
    assertEquals("Missing a comma or ']' after an array element.", parseError("[1 2]").getMessage());
    assertEquals(3, parseError("[1 2]").offset());
    assertEquals("Missing a comma or '}' after an object member.", parseError("{\"a\": 1 \"b\"}").getMessage());
    assertEquals("Missing a name for object member.", parseError("{a: 1}").getMessage());
    assertEquals("Missing a colon after a name of object member.", parseError("{\"a\" 1}").getMessage());
    assertEquals("Missing a closing quotation mark in string.", parseError("[\"abc").getMessage());
    assertEquals("Invalid escape character in string.", parseError("[\"\\x\"]").getMessage());
    assertEquals("Miss fraction part in number.", parseError("[1.]").getMessage());
    assertEquals("Miss exponent in number.", parseError("[1e]").getMessage());
    assertEquals("Number too big to be stored in double.", parseError("[1e400]").getMessage());
    assertEquals("The document root must not be followed by other values.", parseError("{} {}").getMessage());
    assertEquals("The document is empty.", parseError("  ").getMessage());
    assertEquals("Invalid value.", parseError("[1,]").getMessage(), "no trailing commas");
    assertTrue(parseError("[".repeat(10_000)).getMessage().startsWith("Nesting deeper than"),
        "deep nesting is refused, not a stack overflow");
  }

  @Test
  void decimalsAreWrittenAsTfServingWritesThem() {
    assertEquals("0.2", Decimals.ofFloat(0.2f), "six digits when they read back");
    assertEquals("3.0", Decimals.ofFloat(3f), "whole numbers get .0");
    assertEquals("7.22400379", Decimals.ofFloat(7.22400379f), "nine digits when six do not read back");
    assertEquals("1e-05", Decimals.ofFloat(1e-5f));
    assertEquals("1.5e+06", Decimals.ofFloat(1.5e6f));
    assertEquals("123456.0", Decimals.ofFloat(123456f));
    assertEquals("0.0001", Decimals.ofFloat(1e-4f));
    assertEquals("4.30498649e-12", Decimals.ofFloat(4.30498649e-12f));
    assertEquals("-0.0", Decimals.ofFloat(-0f));
    assertEquals("NaN", Decimals.ofFloat(Float.NaN));
    assertEquals("-Infinity", Decimals.ofFloat(Float.NEGATIVE_INFINITY));
    assertEquals("0.1", Decimals.ofDouble(0.1));
    assertEquals("0.30000000000000004", Decimals.ofDouble(0.1 + 0.2), "seventeen digits for doubles");
    assertEquals("1e+100", Decimals.ofDouble(1e100));
    for (float f : new float[] {0.0421010144f, 1.3498766e-15f, 0.996126473f, 16777216f, Float.MIN_VALUE}) {
      assertEquals(f, Float.parseFloat(Decimals.ofFloat(f)), "round trip of " + f);
    }
  }

  @Test
  void rowAnswersAreLaidOutAsTheModelServerLaysThem() {
    String one = new PrettyJson().startObject().key("predictions").startArray().singleLineArrays(true)
        .raw("3.5").singleLineArrays(false).singleLineArrays(true).raw("4.0").singleLineArrays(false)
        .endArray().endObject().toString();
    assertEquals("{\n    \"predictions\": [3.5, 4.0\n    ]\n}", one);
    String objects = new PrettyJson().startObject().key("predictions").startArray().startObject()
        .singleLineArrays(true).key("a").raw("1").key("b").startArray().raw("1.0").raw("2.0").endArray()
        .singleLineArrays(false).endObject().endArray().endObject().toString();
    assertEquals("{\n    \"predictions\": [\n        {\n            \"a\": 1,\n            \"b\": [1.0, 2.0]\n"
        + "        }\n    ]\n}", objects);
  }

  @Test
  void signatureDefsAreWrittenAsProtobufsCppPrinterWritesThem() {
    TensorShapeProto shape = TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(-1))
        .addDim(TensorShapeProto.Dim.newBuilder().setSize(10)).build();
    SignatureDef s = SignatureDef.newBuilder().setMethodName("tensorflow/serving/predict")
        .putInputs("x", TensorInfo.newBuilder().setName("x:0").setDtype(DataType.DT_FLOAT).setTensorShape(shape).build())
        .build();
    String expected = "{\n \"inputs\": {\n  \"x\": {\n   \"dtype\": \"DT_FLOAT\",\n   \"tensor_shape\": {\n"
        + "    \"dim\": [\n     {\n      \"size\": \"-1\",\n      \"name\": \"\"\n     },\n     {\n      \"size\": \"10\",\n"
        + "      \"name\": \"\"\n     }\n    ],\n    \"unknown_rank\": false\n   },\n   \"name\": \"x:0\"\n  }\n },\n"
        + " \"outputs\": {},\n \"method_name\": \"tensorflow/serving/predict\",\n \"defaults\": {}\n}\n";
    assertEquals(expected, ProtoJson.of(s), "plain fields in order, the oneof's name last, defaults printed");
    assertFalse(ProtoJson.of(SignatureDef.getDefaultInstance()).contains("\"name\""),
        "an unset oneof is not printed");
  }
}
