package io.mnisttf.savedmodel.internal.preflight;

import io.mnisttf.runtime.RegisteredOps;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import io.mnisttf.savedmodel.OpScan;

/**
 * Finds unsafe and unknown op types in a MetaGraphDef without loading it: every node of the main graph and
 * of every function in its library.
 *
 * <p>An op type is unsafe when {@link DeniedOps} lists it. The checkpoint writers of {@link
 * DeniedOps#SAVER_OPS} are the exception, since every saver's save path holds them: they are unsafe only
 * when reachable from what loading or calling the model runs. Those roots are the saver's restore op, the
 * init ops (the {@code __saved_model_init_op} signature, the {@code saved_model_main_op},
 * {@code legacy_init_op} and {@code table_initializer} collections) and the tensors of every signature.
 * Reachability follows node inputs (data and control) in the main graph, and into every function a reached
 * node calls (by op type or through a function-valued attribute, as {@code StatefulPartitionedCall},
 * {@code If} and {@code While} do), where all nodes count as reached.
 *
 * <p>An op type is unknown when this TensorFlow does not register it and no library function has its name.
 */
public final class OpScanner {
  public static final List<String> INIT_COLLECTIONS =
      List.of("saved_model_main_op", "legacy_init_op", "table_initializer");

  private OpScanner() {}

  /** Scans against the op types registered in this process's TensorFlow. */
  public static OpScan scan(MetaGraphDef metaGraph) {
    return scan(metaGraph, RegisteredOps.names());
  }

  /** Scans against the given registered op types. */
  public static OpScan scan(MetaGraphDef metaGraph, Set<String> registered) {
    List<NodeDef> graphNodes = metaGraph.getGraphDef().getNodeList();
    Map<String, FunctionDef> functions = new LinkedHashMap<>();
    for (FunctionDef f : metaGraph.getGraphDef().getLibrary().getFunctionList()) {
      functions.put(f.getSignature().getName(), f);
    }
    Map<String, Integer> histogram = new TreeMap<>();
    Map<String, List<String>> denied = new TreeMap<>();
    Map<String, List<String>> unknown = new TreeMap<>();
    Map<String, List<String>> saverOnly = new TreeMap<>();

    Set<String> reachedNodes = reachableNodes(metaGraph);
    Set<String> reachedFunctions = reachableFunctions(graphNodes, reachedNodes, functions);

    int functionNodes = 0;
    for (NodeDef node : graphNodes) {
      String where = "node '" + node.getName() + "'";
      classify(node.getOp(), where, reachedNodes.contains(node.getName()), histogram, denied, unknown,
          saverOnly, registered, functions.keySet());
    }
    for (FunctionDef f : functions.values()) {
      boolean reached = reachedFunctions.contains(f.getSignature().getName());
      for (NodeDef node : f.getNodeDefList()) {
        functionNodes++;
        String where = "function '" + f.getSignature().getName() + "' node '" + node.getName() + "'";
        classify(node.getOp(), where, reached, histogram, denied, unknown, saverOnly, registered,
            functions.keySet());
      }
    }
    // A function-valued attr may name an op type instead of a library function: TensorFlow then runs that op.
    for (GraphNodes n : GraphNodes.all(metaGraph)) {
      for (String called : calledFunctions(n.node(), Map.of())) {
        if (!called.isEmpty() && !functions.containsKey(called)) {
          classify(called, n.where() + " (called through a function-valued attr)", true, histogram, denied, unknown,
              saverOnly, registered, functions.keySet());
        }
      }
    }
    return new OpScan(histogram, graphNodes.size(), functions.size(), functionNodes,
        findings(denied, true), findings(unknown, false), findings(saverOnly, true));
  }

  private static void classify(String op, String where, boolean reached, Map<String, Integer> histogram,
      Map<String, List<String>> denied, Map<String, List<String>> unknown,
      Map<String, List<String>> saverOnly, Set<String> registered, Set<String> functionNames) {
    histogram.merge(op, 1, Integer::sum);
    if (!registered.contains(op) && !functionNames.contains(op)) {
      unknown.computeIfAbsent(op, k -> new ArrayList<>()).add(where);
    }
    if (DeniedOps.reason(op) != null) {
      if (DeniedOps.SAVER_OPS.contains(op) && !reached) {
        saverOnly.computeIfAbsent(op, k -> new ArrayList<>()).add(where);
      } else {
        denied.computeIfAbsent(op, k -> new ArrayList<>()).add(where);
      }
    }
  }

  private static List<OpScan.Finding> findings(Map<String, List<String>> byOp, boolean denied) {
    List<OpScan.Finding> result = new ArrayList<>();
    byOp.forEach((op, where) -> result.add(new OpScan.Finding(op,
        denied ? DeniedOps.reason(op) : "not registered", where)));
    return result;
  }

  /** Names of the main-graph nodes that loading the model or calling any signature can run. */
  public static Set<String> reachableNodes(MetaGraphDef metaGraph) {
    Map<String, NodeDef> byName = new HashMap<>();
    for (NodeDef node : metaGraph.getGraphDef().getNodeList()) {
      byName.put(node.getName(), node);
    }
    Deque<String> pending = new ArrayDeque<>(roots(metaGraph));
    Set<String> reached = new HashSet<>();
    while (!pending.isEmpty()) {
      String name = nodeName(pending.pop());
      if (!reached.add(name)) {
        continue;
      }
      NodeDef node = byName.get(name);
      if (node != null) {
        pending.addAll(node.getInputList());
      }
    }
    return reached;
  }

  /** Tensor and op names that loading runs or that callers feed and fetch. */
  public static List<String> roots(MetaGraphDef metaGraph) {
    List<String> roots = new ArrayList<>();
    if (!metaGraph.getSaverDef().getRestoreOpName().isEmpty()) {
      roots.add(metaGraph.getSaverDef().getRestoreOpName());
    }
    for (SignatureDef signature : metaGraph.getSignatureDefMap().values()) {
      for (TensorInfo info : signature.getInputsMap().values()) {
        roots.add(info.getName());
      }
      for (TensorInfo info : signature.getOutputsMap().values()) {
        roots.add(info.getName());
      }
    }
    for (String key : INIT_COLLECTIONS) {
      CollectionDef collection = metaGraph.getCollectionDefMap().get(key);
      if (collection != null) {
        roots.addAll(collection.getNodeList().getValueList());
      }
    }
    return roots;
  }

  private static Set<String> reachableFunctions(List<NodeDef> graphNodes, Set<String> reachedNodes,
      Map<String, FunctionDef> functions) {
    Deque<String> pending = new ArrayDeque<>();
    for (NodeDef node : graphNodes) {
      if (reachedNodes.contains(node.getName())) {
        pending.addAll(calledFunctions(node, functions));
      }
    }
    Set<String> reached = new HashSet<>();
    while (!pending.isEmpty()) {
      String name = pending.pop();
      FunctionDef f = functions.get(name);
      if (f == null || !reached.add(name)) {
        continue;
      }
      for (NodeDef node : f.getNodeDefList()) {
        pending.addAll(calledFunctions(node, functions));
      }
    }
    return reached;
  }

  /** Library functions a node calls: its op type, or any function-valued attribute. */
  public static List<String> calledFunctions(NodeDef node, Map<String, FunctionDef> functions) {
    List<String> called = new ArrayList<>();
    if (functions.containsKey(node.getOp())) {
      called.add(node.getOp());
    }
    for (AttrValue value : node.getAttrMap().values()) {
      if (value.hasFunc()) {
        called.add(value.getFunc().getName());
      }
      if (value.hasList()) {
        value.getList().getFuncList().forEach(f -> called.add(f.getName()));
      }
    }
    return called;
  }

  /** {@code "^a"}, {@code "a:1"} and {@code "a"} all name node {@code a}. */
  public static String nodeName(String tensorOrOp) {
    String name = tensorOrOp.startsWith("^") ? tensorOrOp.substring(1) : tensorOrOp;
    int colon = name.indexOf(':');
    return colon < 0 ? name : name.substring(0, colon);
  }
}
