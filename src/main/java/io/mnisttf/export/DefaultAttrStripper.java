package io.mnisttf.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;

/**
 * Removes the attrs whose value equals their op definition's default, in a graph and in every function of
 * its library, as Python's {@code strip_default_attrs=True} does (TensorFlow's {@code StripDefaultAttributes}
 * in {@code graph_def_util.cc}): an attr is removed only when the op is registered, the attr has a default
 * there and the node's value equals it; nodes of unknown ops and attrs the op definition does not declare
 * (such as {@code _output_shapes}) are left as they are.
 *
 * <p>Older consumers add the defaults of their own registry back when they load the graph, so a graph
 * written by a newer TensorFlow (say, {@code MatMul} with the 2.12+ attrs {@code grad_a = false}) loads in
 * consumers that do not know those attrs. Record it with {@code meta_info_def.stripped_default_attrs = true}.
 */
public final class DefaultAttrStripper {
  private DefaultAttrStripper() {}

  /**
   * The graph without its default-valued attrs.
   *
   * @param graph the graph, with its function library
   * @param opDefs the op definitions to take defaults from (those of the running TensorFlow:
   *     {@code RegisteredOps::get}); empty for an unknown op
   */
  public static GraphDef strip(GraphDef graph, Function<String, Optional<OpDef>> opDefs) {
    GraphDef.Builder b = graph.toBuilder();
    b.getNodeBuilderList().forEach(node -> stripNode(node, opDefs));
    for (FunctionDef.Builder f : b.getLibraryBuilder().getFunctionBuilderList()) {
      f.getNodeDefBuilderList().forEach(node -> stripNode(node, opDefs));
    }
    return b.build();
  }

  /**
   * The default-valued attrs left in a graph and its functions, as {@code node_name.attr}
   * ({@code function/node_name.attr} inside functions); empty after {@link #strip}.
   */
  public static List<String> defaultValued(GraphDef graph, Function<String, Optional<OpDef>> opDefs) {
    List<String> found = new ArrayList<>();
    graph.getNodeList().forEach(n -> defaultValued(n, opDefs).forEach(a -> found.add(n.getName() + "." + a)));
    for (FunctionDef f : graph.getLibrary().getFunctionList()) {
      String prefix = f.getSignature().getName() + "/";
      f.getNodeDefList().forEach(n -> defaultValued(n, opDefs)
          .forEach(a -> found.add(prefix + n.getName() + "." + a)));
    }
    return found;
  }

  private static void stripNode(NodeDef.Builder node, Function<String, Optional<OpDef>> opDefs) {
    defaultValued(node.build(), opDefs).forEach(node::removeAttr);
  }

  private static List<String> defaultValued(NodeDef node, Function<String, Optional<OpDef>> opDefs) {
    Optional<OpDef> op = opDefs.apply(node.getOp());
    if (op.isEmpty()) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (OpDef.AttrDef def : op.get().getAttrList()) {
      AttrValue value = node.getAttrMap().get(def.getName());
      if (value != null && def.hasDefaultValue() && value.equals(def.getDefaultValue())) {
        names.add(def.getName());
      }
    }
    return names;
  }
}
