package io.mnisttf.savedmodel.internal.preflight;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Every node of a MetaGraphDef, main graph and library functions alike, with where it is, for the pre-load
 * checks that look at each node on its own.
 *
 * @param where {@code node 'n'} or {@code function 'f' node 'n'}
 * @param node the node
 */
public record GraphNodes(String where, NodeDef node) {
  public static List<GraphNodes> all(MetaGraphDef metaGraph) {
    List<GraphNodes> all = new ArrayList<>();
    for (NodeDef node : metaGraph.getGraphDef().getNodeList()) {
      all.add(new GraphNodes("node '" + node.getName() + "'", node));
    }
    for (FunctionDef f : metaGraph.getGraphDef().getLibrary().getFunctionList()) {
      for (NodeDef node : f.getNodeDefList()) {
        all.add(new GraphNodes("function '" + f.getSignature().getName() + "' node '" + node.getName() + "'", node));
      }
    }
    return all;
  }

  /** {@code node 'n' (Pack)}. */
  public String describe() {
    return where + " (" + node.getOp() + ")";
  }
}
