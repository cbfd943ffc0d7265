package io.mnisttf.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.VersionDef;

class TensorFlowVersionsTest {
  static final List<OpRegistry> REGISTRIES = OpRegistrySnapshot.load();
  static final AttrValue FLOAT = AttrValue.newBuilder().setType(DataType.DT_FLOAT).build();

  static NodeDef node(String op, Map<String, AttrValue> attrs) {
    return NodeDef.newBuilder().setName(op.toLowerCase()).setOp(op).putAllAttr(attrs).build();
  }

  @Test
  void opsInsideFunctionsCountAndFunctionCallsAreNotUnknownOps() {
    GraphDef graph = GraphDef.newBuilder()
        .addNode(node("my_function", Map.of()))
        .setLibrary(FunctionDefLibrary.newBuilder().addFunction(FunctionDef.newBuilder()
            .setSignature(OpDef.newBuilder().setName("my_function"))
            .addNodeDef(node("DisableCopyOnRead", Map.of()))))
        .build();
    VersionVerdict verdict = TensorFlowVersions.assess(graph, REGISTRIES);
    assertEquals("op DisableCopyOnRead unknown", verdict.perVersion().get("2.7"));
    assertEquals("ok", verdict.perVersion().get("2.10"));
    assertEquals("2.10", verdict.minVersion());
    assertEquals("loads in 2.10, 2.16, 2.18; not 2.7, 2.4, 1.15 (op DisableCopyOnRead unknown)", verdict.summary());
  }

  @Test
  void aMissingAttrWithoutDefaultIsRefusedAndStrippedDefaultsAreFilledIn() {
    GraphDef stripped = GraphDef.newBuilder().addNode(node("MatMul", Map.of("T", FLOAT))).build();
    assertEquals("loads in 1.15, 2.4, 2.7, 2.10, 2.16, 2.18",
        TensorFlowVersions.assess(stripped, REGISTRIES).summary());
    GraphDef noType = GraphDef.newBuilder().addNode(node("MatMul", Map.of())).build();
    VersionVerdict verdict = TensorFlowVersions.assess(noType, REGISTRIES);
    assertEquals("attr MatMul.T required but not set", verdict.perVersion().get("2.18"));
    assertNull(verdict.minVersion());
    assertEquals("loads in none of 1.15, 2.4, 2.7, 2.10, 2.16, 2.18: not 2.18, 2.16, 2.10, 2.7, 2.4, 1.15"
        + " (attr MatMul.T required but not set)", verdict.summary());
  }

  @Test
  void internalAttrsAreNeverChecked() {
    GraphDef graph = GraphDef.newBuilder()
        .addNode(node("MatMul", Map.of("T", FLOAT, "_output_shapes", AttrValue.getDefaultInstance()))).build();
    assertEquals("1.15", TensorFlowVersions.assess(graph, REGISTRIES).minVersion());
  }

  @Test
  void graphDefVersionsBelowMinConsumerOrListedAsBadAreRefused() {
    GraphDef needsNewer = GraphDef.newBuilder().setVersions(VersionDef.newBuilder().setProducer(1994)
        .setMinConsumer(900)).addNode(node("NoOp", Map.of())).build();
    VersionVerdict verdict = TensorFlowVersions.assess(needsNewer, REGISTRIES);
    assertEquals("GraphDef needs consumer version 900, this has 898", verdict.perVersion().get("2.7"));
    assertEquals("2.10", verdict.minVersion());
    GraphDef bad = GraphDef.newBuilder().setVersions(VersionDef.newBuilder().setProducer(1994)
        .addBadConsumers(1766)).addNode(node("NoOp", Map.of())).build();
    Map<String, String> expected = new LinkedHashMap<>();
    TfRuntime.ALL.forEach(r -> expected.put(r.version(), "ok"));
    expected.put("2.16", "GraphDef version 1766 is listed as a bad consumer");
    VersionVerdict badVerdict = TensorFlowVersions.assess(bad, REGISTRIES);
    assertEquals(expected, badVerdict.perVersion());
    assertEquals("2.18", badVerdict.minVersion(), "the oldest from which on every runtime loads it");
  }
}
