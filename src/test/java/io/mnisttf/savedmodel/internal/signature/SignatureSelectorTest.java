package io.mnisttf.savedmodel.internal.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;
import io.mnisttf.savedmodel.internal.preflight.OpScanner;
import io.mnisttf.savedmodel.InputLayout;
import io.mnisttf.savedmodel.ModelSignature;
import io.mnisttf.savedmodel.SavedModelException;

/** Signature discovery on hand-made MetaGraphDefs. */
class SignatureSelectorTest {
  static final Path MODEL = Path.of("model");

  static TensorShapeProto shape(long... dims) {
    TensorShapeProto.Builder b = TensorShapeProto.newBuilder();
    for (long d : dims) {
      b.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return b.build();
  }

  static TensorInfo tensor(String name, DataType dtype, TensorShapeProto shape) {
    return TensorInfo.newBuilder().setName(name).setDtype(dtype).setTensorShape(shape).build();
  }

  static NodeDef placeholder(String name, TensorShapeProto shape) {
    return NodeDef.newBuilder().setName(name).setOp("Placeholder")
        .putAttr("shape", AttrValue.newBuilder().setShape(shape).build()).build();
  }

  static NodeDef op(String name) {
    return NodeDef.newBuilder().setName(name).setOp("Identity").build();
  }

  /** One signature per (key, input shape), output probs [-1,10] float. */
  static MetaGraphDef model(SignatureDef... signatures) {
    GraphDef.Builder graph = GraphDef.newBuilder().addNode(op("probs")).addNode(op("classes"))
        .addNode(op("logits"));
    MetaGraphDef.Builder m = MetaGraphDef.newBuilder();
    int i = 0;
    for (SignatureDef s : signatures) {
      for (TensorInfo in : s.getInputsMap().values()) {
        graph.addNode(placeholder(OpScanner.nodeName(in.getName()), in.getTensorShape()));
      }
      m.putSignatureDef(i++ == 0 ? "serving_default" : "other_" + i, s);
    }
    return m.setGraphDef(graph).build();
  }

  static SignatureDef signature(String input, DataType dtype, TensorShapeProto shape) {
    return SignatureDef.newBuilder().setMethodName("tensorflow/serving/predict")
        .putInputs("x", tensor(input + ":0", dtype, shape))
        .putOutputs("classes", tensor("classes:0", DataType.DT_INT64, shape(-1)))
        .putOutputs("probs", tensor("probs:0", DataType.DT_FLOAT, shape(-1, 10))).build();
  }

  static String problem(MetaGraphDef m) {
    return assertThrows(SavedModelException.class, () -> SignatureSelector.select(MODEL, m, null)).getMessage();
  }

  @Test
  void choosesServingDefaultAndItsTenWideFloatOutput() throws Exception {
    ModelSignature s = SignatureSelector.select(MODEL, model(signature("in", DataType.DT_FLOAT, shape(-1, 28, 28))),
        null);
    assertEquals("serving_default", s.key());
    assertEquals("probs", s.output().key());
    assertEquals(InputLayout.IMAGE, s.layout());
    assertEquals(0, s.fixedBatch());
  }

  @Test
  void fallsBackToAnotherSignatureAndExplainsWhenNoneFits() throws Exception {
    MetaGraphDef m = model(signature("s", DataType.DT_STRING, shape(-1)),
        signature("img", DataType.DT_FLOAT, shape(-1, 784)));
    assertEquals("other_2", SignatureSelector.select(MODEL, m, null).key());

    String message = problem(model(signature("s", DataType.DT_STRING, shape(-1)),
        signature("img", DataType.DT_FLOAT, shape(-1, 32, 32, 3))));
    assertTrue(message.startsWith("model: no signature can classify MNIST images: serving_default: input 'x' is"
        + " DT_STRING, but the graph neither parses it as tf.Example nor decodes it as an image (no parse or decode op"
        + " reads it; nothing reads it); other_2: input 'x' takes [-1,32,32,3]"), message);
  }

  @Test
  void refusesSeveralInputsAndMissingTenWideOutputs() {
    SignatureDef two = signature("a", DataType.DT_FLOAT, shape(-1, 784)).toBuilder()
        .putInputs("keep_prob", tensor("b:0", DataType.DT_FLOAT, shape())).build();
    assertTrue(problem(model(two)).contains("takes 2 inputs (keep_prob, x); one image tensor expected"));

    SignatureDef noScores = signature("a", DataType.DT_FLOAT, shape(-1, 784)).toBuilder().removeOutputs("probs")
        .putOutputs("embedding", tensor("logits:0", DataType.DT_FLOAT, shape(-1, 128))).build();
    assertTrue(problem(model(noScores)).contains("no float output of shape [-1,10] among classes DT_INT64 [-1],"
        + " embedding DT_FLOAT [-1,128]"), problem(model(noScores)));
  }

  @Test
  void prefersExactlyTenWideFloat32Outputs() throws Exception {
    SignatureDef s = signature("a", DataType.DT_FLOAT, shape(-1, 784)).toBuilder()
        .putOutputs("a_half", tensor("logits:0", DataType.DT_HALF, shape(-1, 10)))
        .putOutputs("a_unknown_width", tensor("logits:0", DataType.DT_FLOAT, shape(-1, -1))).build();
    assertEquals("probs", SignatureSelector.select(MODEL, model(s), null).output().key());
  }

  @Test
  void fixedBatchAndPlaceholderShapes() throws Exception {
    ModelSignature fixed = SignatureSelector.select(MODEL, model(signature("a", DataType.DT_FLOAT,
        shape(32, 28, 28, 1))), null);
    assertEquals(32, fixed.fixedBatch());
    assertEquals(InputLayout.IMAGE_CHANNELS_LAST, fixed.layout());

    SignatureDef loose = signature("a", DataType.DT_FLOAT, shape(-1, -1, -1, -1));
    MetaGraphDef m = model(loose);
    m = m.toBuilder().setGraphDef(m.getGraphDef().toBuilder().removeNode(m.getGraphDef().getNodeCount() - 1)
        .addNode(placeholder("a", shape(-1, 1, 28, 28)))).build();
    assertEquals(InputLayout.IMAGE_CHANNELS_FIRST, SignatureSelector.select(MODEL, m, null).layout(),
        "the placeholder's shape makes [-1,-1,-1,-1] channels-first");
  }

  @Test
  void unknownRankEverywhereAndMissingNodesAreRefused() {
    SignatureDef unknown = signature("a", DataType.DT_FLOAT, TensorShapeProto.newBuilder().setUnknownRank(true)
        .build());
    assertTrue(problem(model(unknown)).contains("input 'x' has unknown rank"), problem(model(unknown)));

    MetaGraphDef m = model(signature("a", DataType.DT_FLOAT, shape(-1, 784)));
    MetaGraphDef noPlaceholder = m.toBuilder().setGraphDef(m.getGraphDef().toBuilder()
        .removeNode(m.getGraphDef().getNodeCount() - 1)).build();
    assertTrue(problem(noPlaceholder).contains("input tensor 'a:0' is not in the graph"), problem(noPlaceholder));
  }

  @Test
  void requestedKey() throws Exception {
    MetaGraphDef m = model(signature("a", DataType.DT_FLOAT, shape(-1, 784)),
        signature("b", DataType.DT_FLOAT, shape(-1, 28, 28)));
    assertEquals(InputLayout.IMAGE, SignatureSelector.select(MODEL, m, "other_2").layout());
    var e = assertThrows(SavedModelException.class, () -> SignatureSelector.select(MODEL, m, "nope"));
    assertEquals("model: no signature 'nope'; the model has serving_default, other_2", e.getMessage());
  }

  @Test
  void layouts() {
    assertEquals(InputLayout.IMAGE, InputLayout.match(new long[] {-1, 28, 28}).orElseThrow());
    assertEquals(InputLayout.FLAT, InputLayout.match(new long[] {-1, -1}).orElseThrow());
    assertEquals(InputLayout.IMAGE_CHANNELS_LAST, InputLayout.match(new long[] {-1, -1, -1, 1}).orElseThrow());
    assertEquals(InputLayout.IMAGE_CHANNELS_FIRST, InputLayout.match(new long[] {8, 1, -1, 28}).orElseThrow());
    assertTrue(InputLayout.match(new long[] {-1, 28, 28, 3}).isEmpty());
    assertEquals(InputLayout.PADDED_IMAGE, InputLayout.match(new long[] {-1, 32, 32}).orElseThrow());
    assertEquals(InputLayout.PADDED_FLAT, InputLayout.match(new long[] {-1, 1024}).orElseThrow());
    assertEquals(InputLayout.PADDED_CHANNELS_LAST, InputLayout.match(new long[] {-1, 32, 32, 1}).orElseThrow());
    assertEquals(InputLayout.PADDED_CHANNELS_FIRST, InputLayout.match(new long[] {-1, 1, 32, 32}).orElseThrow());
    assertTrue(InputLayout.match(new long[] {-1, 36, 36}).isEmpty());
    assertTrue(InputLayout.match(new long[] {-1, 30, 30, 1}).isEmpty());
    assertTrue(InputLayout.match(new long[] {0, 784}).isEmpty());
    assertTrue(InputLayout.match(new long[] {784}).isEmpty());
    assertTrue(InputLayout.match(null).isEmpty());
  }
}
