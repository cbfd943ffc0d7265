package io.mnisttf.savedmodel.internal.preflight;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import io.mnisttf.savedmodel.internal.format.CheckpointIndex;
import io.mnisttf.savedmodel.SavedModelException;

/**
 * The TF2 (Keras) half of {@link CheckpointMatchCheck}: there the saver's restore op calls a library function
 * with the variables' handles, and inside it each {@code AssignVariableOp} writes one output of a
 * {@code RestoreV2} into one of those handles. Following that path from checkpoint key to {@code VarHandleOp},
 * an entry whose type or shape differs from the variable's declaration is refused.
 */
public final class RestoreFunctionCheck {
  private RestoreFunctionCheck() {}

  public static void check(Path indexFile, MetaGraphDef metaGraph, Map<String, CheckpointIndex.Entry> entries)
      throws SavedModelException {
    Map<String, NodeDef> graph = new HashMap<>();
    for (NodeDef n : metaGraph.getGraphDef().getNodeList()) {
      graph.put(n.getName(), n);
    }
    Map<String, FunctionDef> functions = new HashMap<>();
    for (FunctionDef f : metaGraph.getGraphDef().getLibrary().getFunctionList()) {
      functions.put(f.getSignature().getName(), f);
    }
    NodeDef restore = graph.get(OpScanner.nodeName(metaGraph.getSaverDef().getRestoreOpName()));
    AttrValue f = restore == null ? null : restore.getAttrMap().get("f");
    FunctionDef fn = f == null ? null : functions.get(f.getFunc().getName());
    if (fn == null) {
      return;
    }
    List<String> callerInputs = restore.getInputList().stream().filter(i -> !i.startsWith("^")).toList();
    Map<String, NodeDef> variableOfArg = new HashMap<>();
    for (int k = 0; k < Math.min(callerInputs.size(), fn.getSignature().getInputArgCount()); k++) {
      NodeDef v = graph.get(OpScanner.nodeName(callerInputs.get(k)));
      if (v != null && v.getOp().equals("VarHandleOp")) {
        variableOfArg.put(fn.getSignature().getInputArg(k).getName(), v);
      }
    }
    Map<String, NodeDef> body = new HashMap<>();
    for (NodeDef n : fn.getNodeDefList()) {
      body.put(n.getName(), n);
    }
    for (NodeDef assign : fn.getNodeDefList()) {
      if (!assign.getOp().equals("AssignVariableOp") || assign.getInputCount() < 2) {
        continue;
      }
      NodeDef variable = variableOfArg.get(OpScanner.nodeName(assign.getInput(0)));
      String key = restoredKey(assign.getInput(1), body);
      CheckpointIndex.Entry entry = key == null ? null : entries.get(key);
      if (variable != null && entry != null) {
        String problem = CheckpointMatchCheck.variableProblem(variable, entry);
        if (problem != null) {
          throw new SavedModelException(indexFile, "entry '" + key + "' " + problem + " (restored by function '"
              + fn.getSignature().getName() + "' node '" + assign.getName() + "')");
        }
      }
    }
  }

  /** The checkpoint key whose RestoreV2 output reaches {@code tensor} through Identity nodes, or null. */
  private static String restoredKey(String tensor, Map<String, NodeDef> body) {
    for (int hops = 0; hops < 16; hops++) {
      String[] parts = tensor.split(":");
      NodeDef node = body.get(parts[0]);
      if (node == null) {
        return null;
      }
      if (node.getOp().equals("RestoreV2") && parts.length == 3 && node.getInputCount() >= 2) {
        NodeDef names = body.get(OpScanner.nodeName(node.getInput(1)));
        if (names == null || !names.getAttrMap().containsKey("value")) {
          return null;
        }
        int index;
        try {
          index = Integer.parseInt(parts[2]);
        } catch (NumberFormatException e) {
          return null;
        }
        var keys = names.getAttrMap().get("value").getTensor().getStringValList();
        return index >= 0 && index < keys.size() ? keys.get(index).toStringUtf8() : null;
      }
      if (!node.getOp().equals("Identity") || node.getInputCount() == 0) {
        return null;
      }
      tensor = node.getInput(0);
    }
    return null;
  }
}
