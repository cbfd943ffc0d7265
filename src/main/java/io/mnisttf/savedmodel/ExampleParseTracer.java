package io.mnisttf.savedmodel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Finds how a graph parses a string input as {@code tf.Example} protos, without loading the model: follows the
 * input tensor through pass-through ops ({@code Identity}, {@code Reshape}, ...) and function calls
 * ({@code PartitionedCall}, {@code StatefulPartitionedCall}, or a node whose op is a library function) to a
 * {@code ParseExample}, {@code ParseExampleV2} or {@code ParseSingleExample} op, then reads its dense feature
 * keys (from its attrs, or the {@code Const} nodes feeding its {@code dense_keys} inputs), types and shapes,
 * and picks the one feature that holds an MNIST image (a shape that fits an {@link InputLayout}).
 */
final class ExampleParseTracer {
  static final Set<String> PARSE_OPS = Set.of("ParseExample", "ParseExampleV2", "ParseSingleExample");
  /** Ops whose first output is their first input, reshaped at most. */
  static final Set<String> PASS_THROUGH = Set.of("Identity", "Reshape", "Squeeze", "ExpandDims", "StopGradient",
      "Snapshot", "EnsureShape", "CheckNumerics");
  static final Set<String> CALL_OPS = Set.of("PartitionedCall", "StatefulPartitionedCall");
  private static final int MAX_STEPS = 10_000;

  private ExampleParseTracer() {}

  /**
   * What the trace found.
   *
   * @param feature the image feature, or {@code null}
   * @param problem why the input cannot be fed as {@code tf.Example}, or {@code null}
   */
  record Result(ExampleFeature feature, String problem) {}

  /** A graph or function body: its nodes by name, and how its nodes name a tensor. */
  private record Scope(String name, List<NodeDef> nodes, Map<String, NodeDef> byName, boolean function) {
    static Scope of(String name, List<NodeDef> nodes, boolean function) {
      Map<String, NodeDef> byName = new HashMap<>();
      nodes.forEach(n -> byName.put(n.getName(), n));
      return new Scope(name, nodes, byName, function);
    }

    /** The node named by an input reference ({@code n}, {@code n:1}, {@code n:output:0}), or {@code null}. */
    NodeDef node(String ref) {
      int colon = ref.indexOf(':');
      return byName.get(colon < 0 ? ref : ref.substring(0, colon));
    }

    /** Whether the input reference {@code ref} names {@code tensor}. */
    boolean refersTo(String ref, String tensor) {
      if (ref.equals(tensor)) {
        return true;
      }
      return !function && (ref + ":0").equals(tensor) || !function && ref.equals(tensor + ":0");
    }

    /** How this scope names a node's first output. */
    String firstOutput(NodeDef node) {
      return function ? node.getName() + ":output:0" : node.getName() + ":0";
    }

    String qualified(NodeDef node) {
      return function ? name + "/" + node.getName() : node.getName();
    }
  }

  private record Step(Scope scope, String tensor) {}

  /** Traces {@code tensorName} ({@code "op:0"}) of {@code metaGraph}'s main graph to a parse op. */
  static Result trace(MetaGraphDef metaGraph, String tensorName) {
    Map<String, FunctionDef> functions = new HashMap<>();
    for (FunctionDef f : metaGraph.getGraphDef().getLibrary().getFunctionList()) {
      functions.put(f.getSignature().getName(), f);
    }
    Map<String, Scope> scopes = new HashMap<>();
    Scope main = Scope.of("", metaGraph.getGraphDef().getNodeList(), false);
    Deque<Step> queue = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    queue.add(new Step(main, tensorName.contains(":") ? tensorName : tensorName + ":0"));
    Set<String> reached = new java.util.TreeSet<>();
    int steps = 0;
    while (!queue.isEmpty() && steps++ < MAX_STEPS) {
      Step step = queue.poll();
      if (!seen.add(step.scope().name() + "|" + step.tensor())) {
        continue;
      }
      for (NodeDef node : step.scope().nodes()) {
        List<String> inputs = dataInputs(node);
        for (int k = 0; k < inputs.size(); k++) {
          if (!step.scope().refersTo(inputs.get(k), step.tensor())) {
            continue;
          }
          if (PARSE_OPS.contains(node.getOp()) && k == 0) {
            return feature(step.scope(), node);
          }
          reached.add(node.getOp());
          if (PASS_THROUGH.contains(node.getOp()) && k == 0) {
            queue.add(new Step(step.scope(), step.scope().firstOutput(node)));
            continue;
          }
          FunctionDef called = calledFunction(node, functions);
          if (called != null && k < called.getSignature().getInputArgCount()) {
            String fname = called.getSignature().getName();
            Scope body = scopes.computeIfAbsent(fname, n -> Scope.of(n, called.getNodeDefList(), true));
            queue.add(new Step(body, called.getSignature().getInputArg(k).getName()));
          }
        }
      }
    }
    return new Result(null, "the graph does not parse it as tf.Example (no ParseExample, ParseExampleV2 or"
        + " ParseSingleExample op reads it" + (reached.isEmpty() ? "; nothing reads it" : "; it reaches "
        + reached.stream().limit(8).collect(Collectors.joining(", "))) + ")");
  }

  private static List<String> dataInputs(NodeDef node) {
    return node.getInputList().stream().filter(i -> !i.startsWith("^")).toList();
  }

  private static FunctionDef calledFunction(NodeDef node, Map<String, FunctionDef> functions) {
    if (CALL_OPS.contains(node.getOp())) {
      AttrValue f = node.getAttrMap().get("f");
      return f == null ? null : functions.get(f.getFunc().getName());
    }
    return functions.get(node.getOp());
  }

  /** Reads the dense features of a parse op and picks the image. */
  private static Result feature(Scope scope, NodeDef parse) {
    List<String> keys;
    try {
      keys = denseKeys(scope, parse);
    } catch (IllegalStateException e) {
      return new Result(null, parse.getOp() + " '" + scope.qualified(parse) + "': " + e.getMessage());
    }
    List<DataType> types = attr(parse, "Tdense").getList().getTypeList();
    List<TensorShapeProto> shapes = attr(parse, "dense_shapes").getList().getShapeList();
    if (types.size() != keys.size() || shapes.size() != keys.size()) {
      return new Result(null, parse.getOp() + " '" + scope.qualified(parse) + "' declares " + keys.size()
          + " dense keys, " + types.size() + " types and " + shapes.size() + " shapes");
    }
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      long[] dims = TensorSpec.dims(shapes.get(i));
      DataType type = types.get(i);
      String typeName = type == DataType.DT_FLOAT ? "float" : type == DataType.DT_INT64 ? "int64" : type.name();
      seen.add(keys.get(i) + ": " + typeName + " " + TensorSpec.shapeText(dims));
      if (dims == null || (type != DataType.DT_FLOAT && type != DataType.DT_INT64)) {
        continue;
      }
      long[] batched = new long[dims.length + 1];
      batched[0] = -1;
      System.arraycopy(dims, 0, batched, 1, dims.length);
      if (InputLayout.match(batched).isPresent() && java.util.Arrays.stream(dims).allMatch(d -> d > 0)) {
        return new Result(new ExampleFeature(parse.getOp(), scope.qualified(parse), keys.get(i), type, dims), null);
      }
    }
    return new Result(null, parse.getOp() + " '" + scope.qualified(parse) + "' parses no dense float or int64"
        + " feature of an MNIST image's shape (" + InputLayout.allShapes() + " per batch); its dense features: "
        + (seen.isEmpty() ? "none" : String.join(", ", seen)));
  }

  private static AttrValue attr(NodeDef node, String name) {
    AttrValue value = node.getAttrMap().get(name);
    return value == null ? AttrValue.getDefaultInstance() : value;
  }

  /** The dense keys: an attr of ParseSingleExample; Const inputs of ParseExample (one each) and V2 (one vector). */
  private static List<String> denseKeys(Scope scope, NodeDef parse) {
    if (parse.getOp().equals("ParseSingleExample")) {
      return attr(parse, "dense_keys").getList().getSList().stream().map(b -> b.toStringUtf8()).toList();
    }
    List<String> inputs = dataInputs(parse);
    if (parse.getOp().equals("ParseExampleV2")) {
      return constStrings(scope, inputs, 3);
    }
    int nSparse = (int) attr(parse, "Nsparse").getI();
    int nDense = (int) attr(parse, "Ndense").getI();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < nDense; i++) {
      keys.addAll(constStrings(scope, inputs, 2 + nSparse + i));
    }
    return keys;
  }

  private static List<String> constStrings(Scope scope, List<String> inputs, int index) {
    if (index >= inputs.size()) {
      throw new IllegalStateException("has " + inputs.size() + " inputs; its dense keys are input " + index);
    }
    NodeDef node = scope.node(inputs.get(index));
    while (node != null && node.getOp().equals("Identity") && node.getInputCount() > 0) {
      node = scope.node(node.getInput(0));
    }
    if (node == null || !node.getOp().equals("Const")) {
      throw new IllegalStateException("its dense keys come from '" + inputs.get(index) + "', not a constant");
    }
    return attr(node, "value").getTensor().getStringValList().stream().map(b -> b.toStringUtf8()).toList();
  }
}
