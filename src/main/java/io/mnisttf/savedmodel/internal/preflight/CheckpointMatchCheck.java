package io.mnisttf.savedmodel.internal.preflight;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import io.mnisttf.savedmodel.internal.format.CheckpointIndex;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.TensorSpec;

/**
 * Refuses checkpoint entries whose type or shape differ from what the graph restores them into: a bias restored
 * as a scalar loads, then aborts the process inside a fused MatMul kernel ({@code Check failed: d >= 0}).
 *
 * <p>Two views of the graph are compared with the index: every variable of the main graph ({@code VariableV2},
 * {@code VarHandleOp}) with an entry of its own name (TF1-style savers, ours included) must have the entry's
 * type and, where its shape is known, its shape; so must every variable that a TF2 restore function assigns an
 * entry to ({@link RestoreFunctionCheck}); and every {@code RestoreV2} whose tensor names are a constant beside
 * it must ask for the types the entries have.
 */
public final class CheckpointMatchCheck {
  private CheckpointMatchCheck() {}

  public static void check(Path dir, MetaGraphDef metaGraph, CheckpointIndex index) throws SavedModelException {
    if (index == null) {
      return;
    }
    Map<String, CheckpointIndex.Entry> entries = new HashMap<>();
    for (CheckpointIndex.Entry e : index.entries()) {
      entries.put(e.name(), e);
    }
    for (NodeDef node : metaGraph.getGraphDef().getNodeList()) {
      CheckpointIndex.Entry e = entries.get(node.getName());
      if (e != null && PreloadReport.VARIABLE_OPS.contains(node.getOp())) {
        String problem = variableProblem(node, e);
        if (problem != null) {
          throw new SavedModelException(index.file(), "entry '" + e.name() + "' " + problem);
        }
      }
    }
    RestoreFunctionCheck.check(index.file(), metaGraph, entries);
    for (GraphNodes n : GraphNodes.all(metaGraph)) {
      if (n.node().getOp().equals("RestoreV2")) {
        String problem = restoreProblem(n, metaGraph, entries);
        if (problem != null) {
          throw new SavedModelException(index.file(), problem);
        }
      }
    }
  }

  public static String variableProblem(NodeDef variable, CheckpointIndex.Entry e) {
    AttrValue dtype = variable.getAttrMap().get("dtype");
    if (dtype != null && dtype.getType() != DataType.DT_INVALID && dtype.getType() != e.dtype()) {
      return "is " + e.dtype() + " but variable '" + variable.getName() + "' is " + dtype.getType();
    }
    AttrValue shape = variable.getAttrMap().get("shape");
    long[] dims = shape == null ? null : TensorSpec.dims(shape.getShape());
    if (dims == null) {
      return null;
    }
    boolean same = dims.length == e.dims().length;
    for (int i = 0; same && i < dims.length; i++) {
      same = dims[i] < 0 || dims[i] == e.dims()[i];
    }
    return same ? null : "has shape " + TensorSpec.shapeText(e.dims()) + " but variable '" + variable.getName()
        + "' has shape " + TensorSpec.shapeText(dims);
  }

  /** A RestoreV2 asking for another type than an entry holds; null when it matches or cannot be told. */
  private static String restoreProblem(GraphNodes n, MetaGraphDef metaGraph, Map<String, CheckpointIndex.Entry> entries) {
    if (n.node().getInputCount() < 2 || !n.node().getAttrMap().containsKey("dtypes")) {
      return null;
    }
    NodeDef names = sibling(n, metaGraph, OpScanner.nodeName(n.node().getInput(1)));
    if (names == null || !names.getOp().equals("Const") || !names.getAttrMap().containsKey("value")) {
      return null;
    }
    List<com.google.protobuf.ByteString> keys = names.getAttrMap().get("value").getTensor().getStringValList();
    List<DataType> types = n.node().getAttrMap().get("dtypes").getList().getTypeList();
    for (int i = 0; i < Math.min(keys.size(), types.size()); i++) {
      CheckpointIndex.Entry e = entries.get(keys.get(i).toStringUtf8());
      if (e != null && e.dtype() != types.get(i)) {
        return "entry '" + e.name() + "' is " + e.dtype() + " but " + n.describe() + " restores it as " + types.get(i);
      }
    }
    return null;
  }

  /** The node named {@code name} in the same graph or function as {@code n}. */
  private static NodeDef sibling(GraphNodes n, MetaGraphDef metaGraph, String name) {
    if (n.where().startsWith("node ")) {
      return metaGraph.getGraphDef().getNodeList().stream().filter(x -> x.getName().equals(name)).findFirst()
          .orElse(null);
    }
    return metaGraph.getGraphDef().getLibrary().getFunctionList().stream()
        .filter(f -> n.where().startsWith("function '" + f.getSignature().getName() + "' "))
        .flatMap(f -> f.getNodeDefList().stream()).filter(x -> x.getName().equals(name)).findFirst().orElse(null);
  }
}
