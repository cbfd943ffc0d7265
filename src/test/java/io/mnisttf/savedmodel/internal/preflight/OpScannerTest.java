package io.mnisttf.savedmodel.internal.preflight;

import io.mnisttf.runtime.RegisteredOps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import io.mnisttf.savedmodel.OpScan;

/**
 * The scanner on hand-made MetaGraphDefs shaped like Keras exports: a serving call into a function, a saver
 * whose save function holds SaveV2, a restore function. No TensorFlow runtime is needed.
 */
class OpScannerTest {
  static final Set<String> REGISTERED = Set.of("Placeholder", "StatefulPartitionedCall", "PartitionedCall",
      "MatMul", "Softmax", "Identity", "SaveV2", "RestoreV2", "MergeV2Checkpoints", "ReadFile", "WriteFile",
      "PyFunc", "Const", "NoOp", "If");

  static NodeDef node(String name, String op, String... inputs) {
    return NodeDef.newBuilder().setName(name).setOp(op).addAllInput(List.of(inputs)).build();
  }

  static NodeDef call(String name, String function, String... inputs) {
    return node(name, "StatefulPartitionedCall", inputs).toBuilder()
        .putAttr("f", AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName(function)).build()).build();
  }

  static FunctionDef function(String name, NodeDef... nodes) {
    return FunctionDef.newBuilder().setSignature(OpDef.newBuilder().setName(name)).addAllNodeDef(List.of(nodes))
        .build();
  }

  /** A Keras-like graph: serving call, save call, restore call, plus extra functions. */
  static MetaGraphDef kerasLike(FunctionDef serving, FunctionDef... more) {
    GraphDef.Builder graph = GraphDef.newBuilder()
        .addNode(node("serving_default_x", "Placeholder"))
        .addNode(node("saver_filename", "Placeholder"))
        .addNode(call("StatefulPartitionedCall", serving.getSignature().getName(), "serving_default_x"))
        .addNode(call("StatefulPartitionedCall_1", "save_fn", "saver_filename"))
        .addNode(call("StatefulPartitionedCall_2", "restore_fn", "saver_filename"));
    graph.getLibraryBuilder()
        .addFunction(serving)
        .addFunction(function("save_fn", node("SaveV2", "SaveV2"), node("merge", "MergeV2Checkpoints")))
        .addFunction(function("restore_fn", node("RestoreV2", "RestoreV2")));
    for (FunctionDef f : more) {
      graph.getLibraryBuilder().addFunction(f);
    }
    return MetaGraphDef.newBuilder()
        .setGraphDef(graph)
        .setSaverDef(SaverDef.newBuilder().setFilenameTensorName("saver_filename:0")
            .setSaveTensorName("StatefulPartitionedCall_1:0").setRestoreOpName("StatefulPartitionedCall_2"))
        .putSignatureDef("serving_default", SignatureDef.newBuilder()
            .putInputs("x", TensorInfo.newBuilder().setName("serving_default_x:0").build())
            .putOutputs("y", TensorInfo.newBuilder().setName("StatefulPartitionedCall:0").build()).build())
        .build();
  }

  static FunctionDef plainServing() {
    return function("serve_fn", node("m", "MatMul"), node("s", "Softmax"));
  }

  @Test
  void saverOpsOnlyInTheSavePathAreAllowed() {
    OpScan scan = OpScanner.scan(kerasLike(plainServing()), REGISTERED);
    assertTrue(scan.safe(), scan.verdict());
    assertTrue(scan.allKnown(), scan.verdict());
    assertEquals(List.of("MergeV2Checkpoints", "SaveV2"), scan.saverOnly().stream().map(OpScan.Finding::opType).toList());
    assertEquals(List.of("function 'save_fn' node 'SaveV2'"), scan.saverOnly().get(1).locations());
    assertEquals(3, scan.functions());
    assertEquals(5, scan.graphNodes());
    assertEquals(5, scan.functionNodes());
    assertEquals(3, scan.opHistogram().get("StatefulPartitionedCall"));
  }

  @Test
  void saveV2ReachableFromASignatureIsUnsafe() {
    FunctionDef serving = function("serve_fn", node("m", "MatMul"), call("inner", "writer_fn"));
    FunctionDef writer = function("writer_fn", node("sneaky_save", "SaveV2"));
    OpScan scan = OpScanner.scan(kerasLike(serving, writer), REGISTERED);
    assertFalse(scan.safe());
    assertEquals("SaveV2", scan.unsafe().get(0).opType());
    assertEquals(List.of("function 'writer_fn' node 'sneaky_save'"), scan.unsafe().get(0).locations());
    assertTrue(scan.verdict().startsWith("unsafe: "), scan.verdict());
  }

  @Test
  void deniedOpsAreUnsafeAnywhereEvenInUnusedFunctions() {
    FunctionDef unused = function("unused_fn", node("py", "PyFunc"));
    FunctionDef branch = function("then_fn", node("rf", "ReadFile"));
    FunctionDef serving = function("serve_fn", node("cond", "If").toBuilder()
        .putAttr("then_branch", AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName("then_fn")).build())
        .build());
    OpScan scan = OpScanner.scan(kerasLike(serving, branch, unused), REGISTERED);
    assertEquals(List.of("PyFunc", "ReadFile"), scan.unsafe().stream().map(OpScan.Finding::opType).toList());
    assertEquals("runs Python code", scan.unsafe().get(0).reason());
    assertEquals("reads files", scan.unsafe().get(1).reason());
  }

  @Test
  void writeFileInTheMainGraphIsUnsafe() {
    MetaGraphDef m = kerasLike(plainServing());
    m = m.toBuilder().setGraphDef(m.getGraphDef().toBuilder().addNode(node("w", "WriteFile"))).build();
    OpScan scan = OpScanner.scan(m, REGISTERED);
    assertEquals("WriteFile (writes files: node 'w')", scan.unsafe().get(0).describe());
  }

  @Test
  void unknownOpsButNotFunctionCallsByName() {
    FunctionDef serving = function("serve_fn", node("custom", "MyCustomOp"), node("direct", "helper_fn"));
    FunctionDef helper = function("helper_fn", node("m", "MatMul"));
    OpScan scan = OpScanner.scan(kerasLike(serving, helper), REGISTERED);
    assertFalse(scan.allKnown());
    assertEquals(List.of("MyCustomOp"), scan.unknown().stream().map(OpScan.Finding::opType).toList());
    assertTrue(scan.verdict().startsWith("refused: op types unknown"), scan.verdict());
  }

  @Test
  void reachabilityFollowsDataAndControlInputsAndInitCollections() {
    MetaGraphDef m = MetaGraphDef.newBuilder()
        .setGraphDef(GraphDef.newBuilder()
            .addNode(node("a", "Const"))
            .addNode(node("b", "Identity", "a:0"))
            .addNode(node("c", "NoOp", "^b"))
            .addNode(node("init", "NoOp", "^c"))
            .addNode(node("orphan", "Const")))
        .putCollectionDef("legacy_init_op", org.tensorflow.proto.CollectionDef.newBuilder().setNodeList(
            org.tensorflow.proto.CollectionDef.NodeList.newBuilder().addValue("init")).build())
        .build();
    assertEquals(Set.of("a", "b", "c", "init"), OpScanner.reachableNodes(m));
  }

  @Test
  void everyListedOpIsRegisteredInThisTensorFlow() {
    Set<String> registered = RegisteredOps.names();
    assertTrue(registered.size() > 1000, "registered ops: " + registered.size());
    for (String op : DeniedOps.all().keySet()) {
      assertTrue(registered.contains(op), op + " is not a TensorFlow 2.18 op: a typo in the deny list?");
    }
  }
}
