package io.mnisttf.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mnisttf.savedmodel.internal.worker.WireTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorInfo;

/**
 * {@code :predict}'s JSON both ways, with TF Serving's messages ({@code json_tensor.cc}), and without TensorFlow.
 */
class ServePredictCodecTest {
  private static final Map<String, TensorInfo> IMAGES = Map.of("images", info(DataType.DT_FLOAT));
  private static final Map<String, TensorInfo> TWO = Map.of("a", info(DataType.DT_FLOAT), "b", info(DataType.DT_INT64));

  private static TensorInfo info(DataType dtype) {
    return TensorInfo.newBuilder().setName("x:0").setDtype(dtype).build();
  }

  private static PredictCodec.Request parse(String body, Map<String, TensorInfo> inputs) throws ServingException {
    return PredictCodec.parse(body.getBytes(StandardCharsets.UTF_8), signature -> {
      if (!signature.isEmpty() && !signature.equals("serving_default")) {
        throw ServingException.invalidArgument("Serving signature name: \"" + signature + "\" not found in signature def");
      }
      return inputs;
    });
  }

  private static ServingException error(String body, Map<String, TensorInfo> inputs) {
    return assertThrows(ServingException.class, () -> parse(body, inputs));
  }

  private static float[] floats(WireTensor t) {
    float[] f = new float[(int) t.count()];
    t.buffer().asFloatBuffer().get(f);
    return f;
  }

  private static long[] longs(WireTensor t) {
    long[] l = new long[(int) t.count()];
    t.buffer().asLongBuffer().get(l);
    return l;
  }

  @Test
  void rowsBecomeOneTensorPerInputWithTheBatchDimensionFirst() throws Exception {
    PredictCodec.Request r = parse("{\"instances\": [[[1, 2]], [[3, 4.5]]]}", IMAGES);
    assertEquals(PredictCodec.Format.ROW, r.format());
    assertEquals("", r.signatureName());
    WireTensor t = r.inputs().get("images");
    assertArrayEquals(new long[] {2, 1, 2}, t.shape());
    assertArrayEquals(new float[] {1, 2, 3, 4.5f}, floats(t));

    PredictCodec.Request named = parse("{\"signature_name\": \"serving_default\", \"instances\":"
        + " [{\"a\": [1.0, 2.0], \"b\": 3}, {\"b\": -4, \"a\": [5, 6]}]}", TWO);
    assertEquals("serving_default", named.signatureName());
    assertArrayEquals(new long[] {2, 2}, named.inputs().get("a").shape());
    assertArrayEquals(new long[] {3, -4}, longs(named.inputs().get("b")));
    assertArrayEquals(new long[] {2}, named.inputs().get("b").shape());
  }

  @Test
  void columnsKeepEachInputsOwnShape() throws Exception {
    PredictCodec.Request bare = parse("{\"inputs\": [[1, 2, 3]]}", IMAGES);
    assertEquals(PredictCodec.Format.COLUMNAR, bare.format());
    assertArrayEquals(new long[] {1, 3}, bare.inputs().get("images").shape());
    PredictCodec.Request named = parse("{\"inputs\": {\"a\": [[1, 2]], \"b\": [7, 8, 9], \"ignored\": 1}}", TWO);
    assertArrayEquals(new long[] {1, 2}, named.inputs().get("a").shape());
    assertArrayEquals(new long[] {7, 8, 9}, longs(named.inputs().get("b")));
    PredictCodec.Request scalar = parse("{\"inputs\": 2.5}", IMAGES);
    assertArrayEquals(new long[0], scalar.inputs().get("images").shape());
  }

  @Test
  void stringsTakeTextAndBase64() throws Exception {
    Map<String, TensorInfo> s = Map.of("s", info(DataType.DT_STRING));
    PredictCodec.Request r = parse("{\"instances\": [\"caf\u00e9\", {\"b64\": \"AAEC\"}]}", s);
    WireTensor t = r.inputs().get("s");
    assertArrayEquals("caf\u00e9".getBytes(StandardCharsets.UTF_8), t.strings()[0]);
    assertArrayEquals(new byte[] {0, 1, 2}, t.strings()[1]);
    assertEquals("Unable to base64 decode", error("{\"inputs\": {\"b64\": \"***\"}}", s).getMessage());
    assertEquals("JSON Value: {\n    \"b64\": \"AA==\",\n    \"x\": 1\n} not formatted correctly for base64 data",
        error("{\"inputs\": [{\"b64\": \"AA==\", \"x\": 1}]}", s).getMessage());
  }

  @Test
  void theRequestItselfIsCheckedFirst() {
    assertEquals("JSON Parse error: The document is empty", error("", IMAGES).getMessage());
    assertEquals("JSON Parse error: Invalid value. at offset: 0", error("instances = [1, 2]", IMAGES).getMessage());
    assertEquals("JSON Value: [\n    1\n] Is not object", error("[1]", IMAGES).getMessage());
    assertEquals("JSON Value: {\n    \"signature_name\": 100\n} not formatted correctly. 'signature_name' key must be"
        + " a string value.", error("{\"signature_name\": 100}", IMAGES).getMessage());
    assertEquals("Serving signature name: \"nope\" not found in signature def",
        error("{\"signature_name\": \"nope\", \"instances\": [1]}", IMAGES).getMessage());
    assertEquals("Failed to get input map for signature: DEFAULT", error("{\"instances\": [1]}", Map.of()).getMessage());
    assertEquals("Missing 'inputs' or 'instances' key", error("{\"x\": 1}", IMAGES).getMessage());
    assertEquals("JSON Value: {\n    \"instances\": [],\n    \"inputs\": []\n} Not formatted correctly expecting only one"
        + " of 'inputs' or 'instances' keys to exist ", error("{\"instances\": [], \"inputs\": []}", IMAGES).getMessage());
    assertEquals("JSON Value: {\n    \"instances\": 1\n} Excepting 'instances' to be an list/array",
        error("{\"instances\": 1}", IMAGES).getMessage());
    assertEquals("JSON Value: {\n    \"instances\": []\n} No values in 'instances' array",
        error("{\"instances\": []}", IMAGES).getMessage());
    for (ServingException e : new ServingException[] {error("", IMAGES), error("{\"instances\": []}", IMAGES)}) {
      assertEquals(Code.INVALID_ARGUMENT, e.code());
      assertEquals(400, e.code().httpStatus());
    }
  }

  @Test
  void mixedRowShapesAndSizesAreRefused() {
    assertEquals("Failed to process element: 1 of 'instances' list. Error: INVALID_ARGUMENT: Expecting tensor size:"
        + " 2 but got: 3", error("{\"instances\": [[1, 2], [1, 2, 3]]}", IMAGES).getMessage());
    assertEquals("Failed to process element: 1 of 'instances' list. Error: INVALID_ARGUMENT: Expecting shape [2,2]"
        + " but got: [4]", error("{\"instances\": [[[1, 2], [3, 4]], [1, 2, 3, 4]]}", IMAGES).getMessage());
    assertEquals("Failed to process element: 0 of 'instances' list. Error: INVALID_ARGUMENT: Encountered list at"
        + " unexpected size: 1 at level: 1 expected size: 2", error("{\"instances\": [[[1, 2], [3]]]}", IMAGES)
        .getMessage());
    assertEquals("Failed to process element: 0 of 'instances' list. Error: INVALID_ARGUMENT: JSON Value: 2 found at"
        + " incorrect level: 2 in the JSON DOM. Expected at level: 2", error("{\"instances\": [[[1], 2]]}", IMAGES)
        .getMessage());
    assertEquals("Failed to process element: 0 of 'instances' list. Error: INVALID_ARGUMENT: Encountered list at"
        + " unexpected level: 1 expected < 1", error("{\"instances\": [[1, [2]]]}", IMAGES).getMessage());
    assertEquals("Expecting value/list but got object at item 1 of input list",
        error("{\"instances\": [[1], {\"images\": [1]}]}", IMAGES).getMessage());
    assertEquals("Expecting object but got list at item 1 of input list",
        error("{\"instances\": [{\"a\": [1], \"b\": 1}, [1]]}", TWO).getMessage());
    assertEquals("instances is a plain list, but expecting list of objects as multiple input tensors required as"
        + " per tensorinfo_map", error("{\"instances\": [[1]]}", TWO).getMessage());
    assertEquals("Failed to process element: 0 of 'instances' list. JSON object: {\n    \"a\": [\n        1\n    ]\n}"
        + " must only have keys: a,b", error("{\"instances\": [{\"a\": [1]}]}", TWO).getMessage());
    assertEquals("Failed to process element: 0 key: c of 'instances' list. Error: INVALID_ARGUMENT: JSON object: does"
        + " not have named input: c", error("{\"instances\": [{\"a\": [1], \"c\": 1}]}", TWO).getMessage());
    assertEquals("Missing named input: b in 'inputs' object.", error("{\"inputs\": {\"a\": [1]}}", TWO).getMessage());
    assertEquals("inputs is a plain value/list, but expecting an object as multiple input tensors required as per"
        + " tensorinfo_map", error("{\"inputs\": [1]}", TWO).getMessage());
  }

  @Test
  void wrongTypesAreRefusedWithTfServingsMessages() {
    assertEquals("JSON Value: \"x\" Type: String is not of expected type: float",
        error("{\"inputs\": [\"x\", \"y\"]}", IMAGES).getMessage());
    assertEquals("Failed to process element: 0 of 'instances' list. Error: INVALID_ARGUMENT: JSON Value: \"x\" Type:"
        + " String is not of expected type: float", error("{\"instances\": [\"x\", \"y\"]}", IMAGES).getMessage());
    assertEquals("JSON Value: 1.5 Type: Number is not of expected type: int64",
        error("{\"inputs\": {\"a\": [1], \"b\": [1.5]}}", TWO).getMessage());
    assertEquals("JSON Value: true Type: True is not of expected type: float", error("{\"inputs\": [true]}", IMAGES)
        .getMessage());
    assertEquals("Cannot convert JSON value: 16777217 to float without loss of precision.",
        error("{\"inputs\": [16777217]}", IMAGES).getMessage());
    assertEquals("Cannot convert JSON value: 1e+39 to float without loss of precision.",
        error("{\"inputs\": [1e39]}", IMAGES).getMessage());
    ServingException half = error("{\"inputs\": [1.0]}", Map.of("h", info(DataType.DT_HALF)));
    assertEquals(Code.UNIMPLEMENTED, half.code());
    assertEquals("Conversion of JSON Value: 1.0 to type: half", half.getMessage());
    ServingException halfRow = error("{\"instances\": [1.0]}", Map.of("h", info(DataType.DT_HALF)));
    assertEquals(Code.INVALID_ARGUMENT, halfRow.code(), "rows wrap every error as invalid argument, as TF Serving");
    assertEquals("JSON Value: 300 Type: Number is not of expected type: bool",
        error("{\"inputs\": [300]}", Map.of("f", info(DataType.DT_BOOL))).getMessage());
  }

  @Test
  void specialFloatsAndIntegerTypesConvert() throws Exception {
    PredictCodec.Request r = parse("{\"inputs\": [NaN, Infinity, -Infinity, 16777215]}", IMAGES);
    float[] f = floats(r.inputs().get("images"));
    assertEquals(Float.NaN, f[0]);
    assertEquals(Float.POSITIVE_INFINITY, f[1]);
    assertEquals(Float.NEGATIVE_INFINITY, f[2]);
    assertEquals(16777215f, f[3]);
    PredictCodec.Request u8 = parse("{\"inputs\": [0, 255]}", Map.of("u", info(DataType.DT_UINT8)));
    assertArrayEquals(new byte[] {0, (byte) 255}, u8.inputs().get("u").data());
    PredictCodec.Request b = parse("{\"inputs\": [[true, false]]}", Map.of("b", info(DataType.DT_BOOL)));
    assertArrayEquals(new byte[] {1, 0}, b.inputs().get("b").data());
  }

  private static WireTensor floatTensor(long[] shape, float... values) {
    ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      buf.putFloat(v);
    }
    return WireTensor.of(DataType.DT_FLOAT, shape, buf.array());
  }

  private static WireTensor longTensor(long[] shape, long... values) {
    ByteBuffer buf = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      buf.putLong(v);
    }
    return WireTensor.of(DataType.DT_INT64, shape, buf.array());
  }

  @Test
  void outputsAreWrittenPerInstanceOrPerName() throws Exception {
    Map<String, WireTensor> one = Map.of("y", floatTensor(new long[] {3}, 3.5f, 4f, 5.5f));
    assertEquals("{\n    \"predictions\": [3.5, 4.0, 5.5\n    ]\n}",
        PredictResponse.write(one, PredictCodec.Format.ROW));
    assertEquals("{\n    \"outputs\": [\n        3.5,\n        4.0,\n        5.5\n    ]\n}",
        PredictResponse.write(one, PredictCodec.Format.COLUMNAR));
    Map<String, WireTensor> two = new LinkedHashMap<>();
    two.put("probabilities", floatTensor(new long[] {1, 2}, 0.25f, 0.75f));
    two.put("classes", longTensor(new long[] {1}, 1));
    assertEquals("{\n    \"predictions\": [\n        {\n            \"classes\": 1,\n            \"probabilities\":"
        + " [0.25, 0.75]\n        }\n    ]\n}", PredictResponse.write(two, PredictCodec.Format.ROW));
    Map<String, WireTensor> bytes = Map.of("img_bytes", WireTensor.ofStrings(new long[] {1},
        new byte[][] {{(byte) 0xff, 0}}), "name", WireTensor.ofStrings(new long[] {1}, new byte[][] {"n".getBytes()}));
    assertEquals("{\n    \"predictions\": [\n        {\n            \"img_bytes\": {\n                \"b64\": \"/wA=\"\n"
        + "            },\n            \"name\": \"n\"\n        }\n    ]\n}",
        PredictResponse.write(bytes, PredictCodec.Format.ROW));
  }

  @Test
  void outputsThatCannotBeRowsOrJsonAreRefused() {
    Map<String, WireTensor> uneven = new LinkedHashMap<>();
    uneven.put("a", floatTensor(new long[] {2}, 1, 2));
    uneven.put("b", floatTensor(new long[] {3}, 1, 2, 3));
    assertEquals("Tensor name: b has inconsistent batch size: 3 expecting: 2",
        assertThrows(ServingException.class, () -> PredictResponse.write(uneven, PredictCodec.Format.ROW)).getMessage());
    assertEquals("Tensor name: s has no shape information ", assertThrows(ServingException.class,
        () -> PredictResponse.write(Map.of("s", floatTensor(new long[0], 1)), PredictCodec.Format.ROW)).getMessage());
    Map<String, WireTensor> half = Map.of("h", WireTensor.of(DataType.DT_HALF, new long[] {1}, new byte[2]));
    assertEquals("Failed to write JSON value for tensor type: half", assertThrows(ServingException.class,
        () -> PredictResponse.write(half, PredictCodec.Format.COLUMNAR)).getMessage());
    assertEquals("Cannot convert empty tensor map to JSON", assertThrows(ServingException.class,
        () -> PredictResponse.write(Map.of(), PredictCodec.Format.ROW)).getMessage());
  }
}
