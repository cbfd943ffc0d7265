package io.mnisttf.compat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.VersionDef;

/**
 * Decides, without loading anything, which TensorFlow runtimes of {@link TfRuntime#ALL} accept a SavedModel's
 * graph, from their op registries ({@link OpRegistrySnapshot}), as their graph import does
 * ({@code ConvertGraphDefToGraph}, {@code ValidateNodeDef} and {@code AddDefaultsToNodeDef} in
 * core/framework/node_def_util.cc, {@code CheckVersions} in core/framework/versions.cc), for every node of
 * the graph and of every function of its library (functions run when a signature is called):
 * <ul>
 *   <li>an op type the runtime does not register, and that is not a function of the library, is refused;
 *   <li>an attr the op definition does not declare (names starting with {@code _} are internal and never
 *       checked) is refused by 1.15 and 2.4 and ignored, with a log line, from 2.7 on
 *       ({@link TfRuntime#ignoresUnknownAttrs()});
 *   <li>an attr the node leaves out is filled from the runtime's default (this is how models with
 *       {@code stripped_default_attrs} load); one without a default there is refused;
 *   <li>{@code versions.min_consumer} above the runtime's {@code TF_GRAPH_DEF_VERSION}, or the runtime's
 *       version among {@code versions.bad_consumers}, is refused ({@code TF_GRAPH_DEF_VERSION_MIN_PRODUCER}
 *       is 0 in all six, so no producer is too old).
 * </ul>
 * A JAX computation ({@link XlaModule}) is refused by a runtime whose XLA is known not to run it. Attr value
 * types are not checked: graphs written by TensorFlow agree with their op definitions.
 */
public final class TensorFlowVersions {
  private TensorFlowVersions() {}

  /** The verdict for a MetaGraphDef against the committed registries. */
  public static VersionVerdict assess(MetaGraphDef metaGraph) {
    return assess(metaGraph.getGraphDef(), OpRegistrySnapshot.load());
  }

  /** The verdict for a graph (with its library) against {@code registries}, oldest first. */
  public static VersionVerdict assess(GraphDef graph, List<OpRegistry> registries) {
    Set<String> functions = new HashSet<>();
    graph.getLibrary().getFunctionList().forEach(f -> functions.add(f.getSignature().getName()));
    List<NodeDef> nodes = new ArrayList<>(graph.getNodeList());
    for (FunctionDef f : graph.getLibrary().getFunctionList()) {
      nodes.addAll(f.getNodeDefList());
    }
    List<XlaModule> modules = XlaModule.of(graph);
    Map<String, String> perVersion = new LinkedHashMap<>();
    Map<String, List<String>> ignored = new LinkedHashMap<>();
    for (OpRegistry registry : registries) {
      Set<String> unknownOps = new TreeSet<>();
      Set<String> unknownAttrs = new TreeSet<>();
      Set<String> missingAttrs = new TreeSet<>();
      for (NodeDef node : nodes) {
        if (functions.contains(node.getOp())) {
          continue;
        }
        OpRegistry.Op op = registry.ops().get(node.getOp());
        if (op == null) {
          unknownOps.add(node.getOp());
          continue;
        }
        for (String attr : node.getAttrMap().keySet()) {
          if (!attr.startsWith("_") && !op.attrs().containsKey(attr)) {
            unknownAttrs.add(op.name() + "." + attr);
          }
        }
        for (String attr : op.required()) {
          if (!node.containsAttr(attr)) {
            missingAttrs.add(op.name() + "." + attr);
          }
        }
      }
      List<String> reasons = new ArrayList<>();
      versionProblem(graph.getVersions(), registry).ifPresent(reasons::add);
      if (!unknownOps.isEmpty()) {
        reasons.add(VersionVerdict.plural("op", unknownOps, "unknown"));
      }
      if (!unknownAttrs.isEmpty() && !registry.runtime().ignoresUnknownAttrs()) {
        reasons.add(VersionVerdict.plural("attr", unknownAttrs, "unknown"));
      }
      if (!missingAttrs.isEmpty()) {
        reasons.add(VersionVerdict.plural("attr", missingAttrs, "required but not set"));
      }
      if (!unknownOps.contains(XlaModule.OP)) {
        modules.stream().map(m -> m.problem(registry.runtime())).filter(java.util.Objects::nonNull).distinct()
            .forEach(problem -> reasons.add("its JAX/StableHLO module: " + problem));
      }
      String version = registry.runtime().version();
      perVersion.put(version, reasons.isEmpty() ? VersionVerdict.OK : String.join("; ", reasons));
      if (reasons.isEmpty() && !unknownAttrs.isEmpty()) {
        ignored.put(version, List.copyOf(unknownAttrs));
      }
    }
    return new VersionVerdict(perVersion, ignored);
  }

  private static Optional<String> versionProblem(VersionDef versions, OpRegistry registry) {
    int consumer = registry.graphDefVersion();
    if (versions.getMinConsumer() > consumer) {
      return Optional.of("GraphDef needs consumer version " + versions.getMinConsumer() + ", this has "
          + consumer);
    }
    if (versions.getBadConsumersList().contains(consumer)) {
      return Optional.of("GraphDef version " + consumer + " is listed as a bad consumer");
    }
    return Optional.empty();
  }
}
