package io.mnisttf.savedmodel.internal.signature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.TensorProto;
import io.mnisttf.savedmodel.ImageDecode;

/**
 * Tracing a string input to its tf.Example parse op or image decode op on hand-made graphs: through function calls,
 * TF1's ParseExample, map_fn's TensorList plumbing in a While body, TF1's TensorArray frames, If branches.
 */
class StringInputTracerTest {
  private static NodeDef node(String name, String op, String... inputs) {
    return NodeDef.newBuilder().setName(name).setOp(op).addAllInput(java.util.List.of(inputs)).build();
  }

  private static NodeDef stringConst(String name, String value) {
    return NodeDef.newBuilder().setName(name).setOp("Const").putAttr("value", AttrValue.newBuilder()
        .setTensor(TensorProto.newBuilder().setDtype(DataType.DT_STRING).addStringVal(ByteString.copyFromUtf8(value)))
        .build()).build();
  }

  /** TF1's ParseExample (one scalar Const per dense key) inside function {@code inference}, called by {@code caller}. */
  private static MetaGraphDef model(NodeDef caller, long... featureDims) {
    NodeDef parse = node("parse", "ParseExample", "ident:output:0", "names:output:0", "keys:output:0",
        "default:output:0").toBuilder()
        .putAttr("Nsparse", AttrValue.newBuilder().setI(0).build())
        .putAttr("Ndense", AttrValue.newBuilder().setI(1).build())
        .putAttr("Tdense", AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder()
            .addType(DataType.DT_FLOAT)).build())
        .putAttr("dense_shapes", AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder()
            .addShape(SignatureSelectorTest.shape(featureDims))).build()).build();
    FunctionDef f = FunctionDef.newBuilder()
        .setSignature(OpDef.newBuilder().setName("inference").addInputArg(OpDef.ArgDef.newBuilder().setName("examples")))
        .addNodeDef(node("ident", "Identity", "examples")).addNodeDef(stringConst("keys", "img"))
        .addNodeDef(stringConst("names", "")).addNodeDef(node("default", "Const")).addNodeDef(parse).build();
    GraphDef graph = GraphDef.newBuilder()
        .addNode(SignatureSelectorTest.placeholder("input_example_tensor", SignatureSelectorTest.shape(-1)))
        .addNode(caller).setLibrary(FunctionDefLibrary.newBuilder().addFunction(f)).build();
    return MetaGraphDef.newBuilder().setGraphDef(graph).build();
  }

  @Test
  void followsPartitionedCallsIntoTheLibrary() {
    NodeDef call = node("call", "StatefulPartitionedCall", "input_example_tensor").toBuilder()
        .putAttr("f", AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName("inference")).build()).build();
    StringInputTracer.Result r = StringInputTracer.trace(model(call, 784), "input_example_tensor:0");
    assertNull(r.problem());
    assertEquals("img", r.example().key());
    assertEquals("ParseExample", r.example().parseOp());
    assertEquals("inference/parse", r.example().parseNode());
    assertEquals(DataType.DT_FLOAT, r.example().dtype());
    assertArrayEquals(new long[] {784}, r.example().dims());
  }

  @Test
  void followsNodesWhoseOpIsAFunction() {
    StringInputTracer.Result r = StringInputTracer.trace(model(node("call", "inference", "input_example_tensor"),
        28, 28, 1), "input_example_tensor:0");
    assertEquals("tf.Example {img: float [28,28,1]}", r.example().describe());
  }

  @Test
  void aFeatureOfAnotherShapeIsExplained() {
    StringInputTracer.Result r = StringInputTracer.trace(model(node("call", "inference", "input_example_tensor"),
        10), "input_example_tensor:0");
    assertNull(r.example());
    assertTrue(r.problem().startsWith("ParseExample 'inference/parse' parses no dense float or int64 feature of an"
        + " MNIST image's shape"), r.problem());
    assertTrue(r.problem().endsWith("its dense features: img: float [10]"), r.problem());
  }

  private static NodeDef withFunc(NodeDef node, String attr, String function) {
    return node.toBuilder().putAttr(attr, AttrValue.newBuilder().setFunc(NameAttrList.newBuilder()
        .setName(function)).build()).build();
  }

  private static FunctionDef function(String name, java.util.List<String> args, NodeDef... nodes) {
    OpDef.Builder signature = OpDef.newBuilder().setName(name);
    args.forEach(a -> signature.addInputArg(OpDef.ArgDef.newBuilder().setName(a)));
    return FunctionDef.newBuilder().setSignature(signature).addAllNodeDef(java.util.List.of(nodes)).build();
  }

  private static MetaGraphDef graph(java.util.List<NodeDef> nodes, FunctionDef... functions) {
    GraphDef.Builder graph = GraphDef.newBuilder()
        .addNode(SignatureSelectorTest.placeholder("image_bytes", SignatureSelectorTest.shape(-1)))
        .addAllNode(nodes).setLibrary(FunctionDefLibrary.newBuilder().addAllFunction(java.util.List.of(functions)));
    return MetaGraphDef.newBuilder().setGraphDef(graph).build();
  }

  /** What tf.map_fn(lambda b: tf.io.decode_png(b, channels=1), images) writes in TF 2: the serve function's While. */
  @Test
  void followsMapFnsTensorListIntoTheWhileBody() {
    NodeDef decode = node("map/while/DecodePng", "DecodePng", "map/while/TensorListGetItem:item:0").toBuilder()
        .putAttr("channels", AttrValue.newBuilder().setI(1).build()).build();
    FunctionDef body = function("map_while_body", java.util.List.of("counter", "n", "i", "out", "limit", "list"),
        node("map/while/TensorListGetItem", "TensorListGetItem", "list", "i", "shape:output:0"), decode);
    FunctionDef serve = function("serve", java.util.List.of("image_bytes"),
        node("map/Shape", "Shape", "image_bytes"),
        node("map/TensorListFromTensor", "TensorListFromTensor", "image_bytes", "shape:output:0"),
        withFunc(node("map/while", "StatelessWhile", "counter:output:0", "n:output:0", "i:output:0",
            "reserve:handle:0", "n:output:0", "map/TensorListFromTensor:output_handle:0"), "body", "map_while_body"));
    MetaGraphDef g = graph(java.util.List.of(withFunc(node("call", "StatefulPartitionedCall", "image_bytes"), "f",
        "serve")), serve, body);
    StringInputTracer.Result r = StringInputTracer.trace(g, "image_bytes:0");
    assertNull(r.problem());
    assertEquals(new ImageDecode("DecodePng", "map_while_body/map/while/DecodePng", ImageDecode.Format.PNG, 1),
        r.decode());
    assertEquals("PNG bytes, 1 channel (28x28 images), decoded by DecodePng 'map_while_body/map/while/DecodePng'",
        r.decode().describe());
  }

  /** TF 1's map_fn: TensorArrayScatterV3's flow through Enter/Merge/Switch/Identity to TensorArrayReadV3. */
  @Test
  void followsTf1TensorArrayFramesInTheMainGraph() {
    MetaGraphDef g = graph(java.util.List.of(
        node("ta", "TensorArrayV3", "size"),
        node("scatter", "TensorArrayScatterV3", "ta", "range", "image_bytes", "ta:1"),
        node("enter", "Enter", "scatter"), node("merge", "Merge", "enter", "next"),
        node("switch", "Switch", "merge", "cond"), node("ident", "Identity", "switch:1"),
        node("read", "TensorArrayReadV3", "ta_enter", "index", "ident"),
        node("decode", "DecodeJpeg", "read").toBuilder().putAttr("channels", AttrValue.newBuilder().setI(3).build())
            .build()));
    StringInputTracer.Result r = StringInputTracer.trace(g, "image_bytes:0");
    assertEquals(new ImageDecode("DecodeJpeg", "decode", ImageDecode.Format.JPEG, 3), r.decode());
    assertEquals(3, r.decode().encodedChannels());
  }

  @Test
  void followsIfBranchesButNotTheirCondition() {
    FunctionDef then = function("then", java.util.List.of("x"), node("d", "DecodeImage", "x"));
    MetaGraphDef g = graph(java.util.List.of(
        node("is_empty", "Equal", "image_bytes", "empty"),
        withFunc(withFunc(node("if", "StatelessIf", "is_empty", "image_bytes"), "then_branch", "then"),
            "else_branch", "then")), then);
    StringInputTracer.Result r = StringInputTracer.trace(g, "image_bytes:0");
    assertEquals(new ImageDecode("DecodeImage", "then/d", ImageDecode.Format.PNG, 0), r.decode());
    assertEquals(1, r.decode().encodedChannels());
  }

  @Test
  void aStringThatIsNeitherParsedNorDecodedIsExplained() {
    MetaGraphDef g = graph(java.util.List.of(node("len", "StringLength", "image_bytes"),
        node("n", "Cast", "len")));
    StringInputTracer.Result r = StringInputTracer.trace(g, "image_bytes:0");
    assertNull(r.decode());
    assertNull(r.example());
    assertTrue(r.problem().startsWith("the graph neither parses it as tf.Example nor decodes it as an image"),
        r.problem());
    assertTrue(r.problem().endsWith("; it reaches StringLength)"), r.problem());
  }
}
