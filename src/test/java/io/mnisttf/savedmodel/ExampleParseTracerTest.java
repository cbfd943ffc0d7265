package io.mnisttf.savedmodel;

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

/** Tracing a string input to its tf.Example parse op on hand-made graphs: through function calls, TF1's ParseExample. */
class ExampleParseTracerTest {
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
    ExampleParseTracer.Result r = ExampleParseTracer.trace(model(call, 784), "input_example_tensor:0");
    assertNull(r.problem());
    assertEquals("img", r.feature().key());
    assertEquals("ParseExample", r.feature().parseOp());
    assertEquals("inference/parse", r.feature().parseNode());
    assertEquals(DataType.DT_FLOAT, r.feature().dtype());
    assertArrayEquals(new long[] {784}, r.feature().dims());
  }

  @Test
  void followsNodesWhoseOpIsAFunction() {
    ExampleParseTracer.Result r = ExampleParseTracer.trace(model(node("call", "inference", "input_example_tensor"),
        28, 28, 1), "input_example_tensor:0");
    assertEquals("tf.Example {img: float [28,28,1]}", r.feature().describe());
  }

  @Test
  void aFeatureOfAnotherShapeIsExplained() {
    ExampleParseTracer.Result r = ExampleParseTracer.trace(model(node("call", "inference", "input_example_tensor"),
        10), "input_example_tensor:0");
    assertNull(r.feature());
    assertTrue(r.problem().startsWith("ParseExample 'inference/parse' parses no dense float or int64 feature of an"
        + " MNIST image's shape"), r.problem());
    assertTrue(r.problem().endsWith("its dense features: img: float [10]"), r.problem());
  }
}
