package io.mnisttf.savedmodel.internal.signature;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorShapeProto;
import io.mnisttf.savedmodel.ExampleFeature;
import io.mnisttf.savedmodel.ImageDecode;
import io.mnisttf.savedmodel.InputLayout;
import io.mnisttf.savedmodel.TensorSpec;

/**
 * Finds what a graph does with a string input, without loading the model: parse it as {@code tf.Example} protos
 * ({@code ParseExample}, {@code ParseExampleV2}, {@code ParseSingleExample}) or decode it as encoded images
 * ({@code DecodePng}, {@code DecodeJpeg}, {@code DecodeAndCropJpeg}, {@code DecodeImage}, {@code DecodeBmp},
 * {@code DecodeGif}).
 *
 * <p>The trace follows the data from node to node: through ops that pass their input on ({@code Identity},
 * {@code Reshape}, slices, TF1 loop frames), through the element plumbing of {@code map_fn} (a
 * {@code TensorListFromTensor} into a {@code While} whose body takes items out with {@code TensorListGetItem};
 * or TF1's {@code TensorArrayScatterV3} and {@code TensorArrayReadV3}), and into library functions (called as
 * ops, through {@code PartitionedCall}/{@code StatefulPartitionedCall}, or as {@code While} bodies and
 * {@code If}/{@code Case} branches). The first parse or decode op reached decides. For a parse op, the dense
 * feature that holds an MNIST image (a shape that fits an {@link InputLayout}) is picked; for a decode op, its
 * channels.
 */
public final class StringInputTracer {
  public static final Set<String> PARSE_OPS = Set.of("ParseExample", "ParseExampleV2", "ParseSingleExample");
  public static final Map<String, ImageDecode.Format> DECODE_OPS = Map.of("DecodePng", ImageDecode.Format.PNG,
      "DecodeImage", ImageDecode.Format.PNG, "DecodeJpeg", ImageDecode.Format.JPEG,
      "DecodeAndCropJpeg", ImageDecode.Format.JPEG, "DecodeBmp", ImageDecode.Format.BMP,
      "DecodeGif", ImageDecode.Format.GIF);
  /** Ops whose outputs carry on the data of their first input (reshaped, sliced or framed at most). */
  public static final Set<String> PASS_THROUGH = Set.of("Identity", "IdentityN", "Reshape", "Squeeze", "ExpandDims",
      "StopGradient", "Snapshot", "EnsureShape", "CheckNumerics", "Enter", "RefEnter", "Exit", "NextIteration",
      "Switch", "RefIdentity", "GatherV2", "Gather", "StridedSlice", "Slice", "Unpack", "Split", "SplitV",
      "TensorListFromTensor", "TensorListGetItem", "TensorListStack");
  /** Ops whose data input is not the first: the input that carries the data on. */
  public static final Map<String, Integer> DATA_INPUT = Map.of("TensorArrayScatterV3", 2, "TensorArrayScatterV2", 2,
      "TensorArrayUnpack", 1, "TensorArrayReadV3", 2, "TensorArrayReadV2", 2, "TensorArrayGatherV3", 2,
      "SplitV", 0, "Split", 1);
  public static final Set<String> CALL_OPS = Set.of("PartitionedCall", "StatefulPartitionedCall");
  public static final Set<String> WHILE_OPS = Set.of("While", "StatelessWhile");
  public static final Set<String> BRANCH_OPS = Set.of("If", "StatelessIf", "Case", "StatelessCase");
  private static final int MAX_STEPS = 10_000;

  private StringInputTracer() {}

  /**
   * What the trace found: exactly one of {@code example}, {@code decode} and {@code problem} is set.
   *
   * @param example the {@code tf.Example} image feature
   * @param decode the image decode op
   * @param problem why the input can be fed neither as {@code tf.Example} nor as encoded images
   */
  public record Result(ExampleFeature example, ImageDecode decode, String problem) {
    static Result problem(String problem) {
      return new Result(null, null, problem);
    }
  }

  /** A graph or function body: its nodes, and how its node references are read. */
  private record Scope(String name, List<NodeDef> nodes, Map<String, NodeDef> byName, boolean function) {
    static Scope of(String name, List<NodeDef> nodes, boolean function) {
      Map<String, NodeDef> byName = new HashMap<>();
      nodes.forEach(n -> byName.put(n.getName(), n));
      return new Scope(name, nodes, byName, function);
    }

    /** The node named by an input reference ({@code n}, {@code n:1}, {@code n:output:0}), or {@code null}. */
    NodeDef node(String ref) {
      return byName.get(nodeOf(ref));
    }

    String qualified(NodeDef node) {
      return function ? name + "/" + node.getName() : node.getName();
    }
  }

  /** A node (or a function argument) of a scope whose outputs carry the input's data. */
  private record Step(Scope scope, String node) {}

  /** The node part of an input reference: {@code n} of {@code n}, {@code n:1}, {@code n:output:0}. */
  public static String nodeOf(String ref) {
    int colon = ref.indexOf(':');
    return colon < 0 ? ref : ref.substring(0, colon);
  }

  /** Traces {@code tensorName} ({@code "op:0"}) of {@code metaGraph}'s main graph to a parse or decode op. */
  public static Result trace(MetaGraphDef metaGraph, String tensorName) {
    Map<String, FunctionDef> functions = new HashMap<>();
    for (FunctionDef f : metaGraph.getGraphDef().getLibrary().getFunctionList()) {
      functions.put(f.getSignature().getName(), f);
    }
    Map<String, Scope> scopes = new HashMap<>();
    Deque<Step> queue = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    queue.add(new Step(Scope.of("", metaGraph.getGraphDef().getNodeList(), false), nodeOf(tensorName)));
    Set<String> reached = new TreeSet<>();
    int steps = 0;
    while (!queue.isEmpty() && steps++ < MAX_STEPS) {
      Step step = queue.poll();
      if (!seen.add(step.scope().name() + "|" + step.node())) {
        continue;
      }
      for (NodeDef node : step.scope().nodes()) {
        List<String> inputs = dataInputs(node);
        for (int k = 0; k < inputs.size(); k++) {
          if (!nodeOf(inputs.get(k)).equals(step.node())) {
            continue;
          }
          String op = node.getOp();
          if (PARSE_OPS.contains(op) && k == 0) {
            return feature(step.scope(), node);
          }
          if (DECODE_OPS.containsKey(op) && k == 0) {
            return decode(step.scope(), node);
          }
          reached.add(op);
          if (k == DATA_INPUT.getOrDefault(op, PASS_THROUGH.contains(op) ? 0 : -1) || op.equals("Merge")) {
            queue.add(new Step(step.scope(), node.getName()));
            continue;
          }
          for (Map.Entry<FunctionDef, Integer> target : calledArguments(node, k, functions)) {
            FunctionDef called = target.getKey();
            String fname = called.getSignature().getName();
            Scope body = scopes.computeIfAbsent(fname, n -> Scope.of(n, called.getNodeDefList(), true));
            queue.add(new Step(body, called.getSignature().getInputArg(target.getValue()).getName()));
          }
        }
      }
    }
    return Result.problem("the graph neither parses it as tf.Example nor decodes it as an image (no parse or"
        + " decode op reads it" + (reached.isEmpty() ? "; nothing reads it" : "; it reaches "
        + reached.stream().limit(8).collect(Collectors.joining(", "))) + ")");
  }

  private static List<String> dataInputs(NodeDef node) {
    return node.getInputList().stream().filter(i -> !i.startsWith("^")).toList();
  }

  /**
   * The function arguments that input {@code k} of {@code node} becomes: of the function it calls, of a
   * {@code While}'s body, or of every branch of an {@code If} or {@code Case} (whose input 0 picks the branch).
   */
  private static List<Map.Entry<FunctionDef, Integer>> calledArguments(NodeDef node, int k,
      Map<String, FunctionDef> functions) {
    List<Map.Entry<FunctionDef, Integer>> targets = new ArrayList<>();
    String op = node.getOp();
    List<FunctionDef> called = new ArrayList<>();
    int argument = k;
    if (CALL_OPS.contains(op)) {
      called.add(functions.get(attr(node, "f").getFunc().getName()));
    } else if (WHILE_OPS.contains(op)) {
      called.add(functions.get(attr(node, "body").getFunc().getName()));
    } else if (BRANCH_OPS.contains(op)) {
      argument = k - 1;
      for (String branch : List.of("then_branch", "else_branch")) {
        called.add(functions.get(attr(node, branch).getFunc().getName()));
      }
      attr(node, "branches").getList().getFuncList().forEach(f -> called.add(functions.get(f.getName())));
    } else {
      called.add(functions.get(op));
    }
    for (FunctionDef f : called) {
      if (f != null && argument >= 0 && argument < f.getSignature().getInputArgCount()) {
        targets.add(Map.entry(f, argument));
      }
    }
    return targets;
  }

  /** The decode op found: its format and channels. */
  private static Result decode(Scope scope, NodeDef node) {
    int channels = (int) attr(node, "channels").getI();
    if (channels != 0 && channels != 1 && channels != 3 && channels != 4) {
      return Result.problem(node.getOp() + " '" + scope.qualified(node) + "' asks for " + channels
          + " channels; 0, 1, 3 or 4 expected");
    }
    return new Result(null, new ImageDecode(node.getOp(), scope.qualified(node), DECODE_OPS.get(node.getOp()),
        channels), null);
  }

  /** Reads the dense features of a parse op and picks the image. */
  private static Result feature(Scope scope, NodeDef parse) {
    List<String> keys;
    try {
      keys = denseKeys(scope, parse);
    } catch (IllegalStateException e) {
      return Result.problem(parse.getOp() + " '" + scope.qualified(parse) + "': " + e.getMessage());
    }
    List<DataType> types = attr(parse, "Tdense").getList().getTypeList();
    List<TensorShapeProto> shapes = attr(parse, "dense_shapes").getList().getShapeList();
    if (types.size() != keys.size() || shapes.size() != keys.size()) {
      return Result.problem(parse.getOp() + " '" + scope.qualified(parse) + "' declares " + keys.size()
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
      if (InputLayout.match(batched).isPresent() && Arrays.stream(dims).allMatch(d -> d > 0)) {
        return new Result(new ExampleFeature(parse.getOp(), scope.qualified(parse), keys.get(i), type, dims), null,
            null);
      }
    }
    return Result.problem(parse.getOp() + " '" + scope.qualified(parse) + "' parses no dense float or int64"
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
