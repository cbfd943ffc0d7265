package io.mnisttf.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;

class DefaultAttrStripperTest {
  static final AttrValue FALSE = AttrValue.newBuilder().setB(false).build();
  static final AttrValue TRUE = AttrValue.newBuilder().setB(true).build();
  static final AttrValue FLOAT = AttrValue.newBuilder().setType(DataType.DT_FLOAT).build();

  /** MatMul as TF 2.18 declares it: T without a default, the four booleans defaulting to false. */
  static final OpDef MAT_MUL = OpDef.newBuilder().setName("MatMul")
      .addAttr(OpDef.AttrDef.newBuilder().setName("T").setType("type"))
      .addAttr(OpDef.AttrDef.newBuilder().setName("transpose_a").setType("bool").setDefaultValue(FALSE))
      .addAttr(OpDef.AttrDef.newBuilder().setName("transpose_b").setType("bool").setDefaultValue(FALSE))
      .addAttr(OpDef.AttrDef.newBuilder().setName("grad_a").setType("bool").setDefaultValue(FALSE))
      .build();
  static final Function<String, Optional<OpDef>> REGISTRY =
      name -> name.equals("MatMul") ? Optional.of(MAT_MUL) : Optional.empty();

  static NodeDef node(String name, String op, Map<String, AttrValue> attrs) {
    return NodeDef.newBuilder().setName(name).setOp(op).putAllAttr(attrs).build();
  }

  @Test
  void removesOnlyDeclaredAttrsEqualToTheirDefaultInTheGraphAndItsFunctions() {
    Map<String, AttrValue> attrs = Map.of("T", FLOAT, "transpose_a", FALSE, "transpose_b", TRUE, "grad_a", FALSE,
        "_output_shapes", FALSE);
    GraphDef graph = GraphDef.newBuilder()
        .addNode(node("mm", "MatMul", attrs))
        .addNode(node("custom", "NotRegistered", Map.of("grad_a", FALSE)))
        .setLibrary(org.tensorflow.proto.FunctionDefLibrary.newBuilder().addFunction(FunctionDef.newBuilder()
            .setSignature(OpDef.newBuilder().setName("f")).addNodeDef(node("inner", "MatMul", attrs))))
        .build();
    assertEquals(List.of("mm.transpose_a", "mm.grad_a", "f/inner.transpose_a", "f/inner.grad_a"),
        DefaultAttrStripper.defaultValued(graph, REGISTRY));

    GraphDef stripped = DefaultAttrStripper.strip(graph, REGISTRY);
    Map<String, AttrValue> kept = Map.of("T", FLOAT, "transpose_b", TRUE, "_output_shapes", FALSE);
    assertEquals(kept, stripped.getNode(0).getAttrMap(), "no default, other value, undeclared: kept");
    assertEquals(Map.of("grad_a", FALSE), stripped.getNode(1).getAttrMap(), "unknown op: untouched");
    assertEquals(kept, stripped.getLibrary().getFunction(0).getNodeDef(0).getAttrMap());
    assertEquals(List.of(), DefaultAttrStripper.defaultValued(stripped, REGISTRY));
  }
}
