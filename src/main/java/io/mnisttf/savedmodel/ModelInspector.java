package io.mnisttf.savedmodel;

import io.mnisttf.compat.TensorFlowVersions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * Describes a SavedModel without loading it (nothing in it runs): tag sets, signatures, variables, op
 * types, the safety verdict, the TensorFlow versions that load it, and whether and how {@code evaluate}
 * would use it.
 */
public final class ModelInspector {
  private ModelInspector() {}

  /**
   * Inspects the model in {@code dir}.
   *
   * @throws SavedModelException only when the model file cannot be read or parsed; every other problem is
   *     reported in the result
   */
  public static Inspection inspect(Path dir) throws SavedModelException {
    SavedModelFile file = SavedModelReader.read(dir);
    List<Inspection.MetaGraph> metaGraphs = new ArrayList<>();
    for (MetaGraphDef m : file.proto().getMetaGraphsList()) {
      metaGraphs.add(new Inspection.MetaGraph(List.copyOf(m.getMetaInfoDef().getTagsList()), signatures(m)));
    }
    String savedBy = file.proto().getMetaGraphs(0).getMetaInfoDef().getTensorflowVersion();
    MetaGraphDef serving;
    try {
      serving = file.servingMetaGraph();
    } catch (SavedModelException e) {
      return new Inspection(file.dir(), file.file(), file.bytes(), savedBy, metaGraphs, null, null, null, null,
          Map.of(), null, e.getMessage(), null);
    }
    OpScan scan = OpScanner.scan(serving);
    String loadProblem = null;
    try {
      TfJavaLimits.check(file.dir(), serving);
    } catch (SavedModelException e) {
      loadProblem = e.getMessage();
    }
    Map<String, String> problems = new LinkedHashMap<>();
    SignatureSelector.assessAll(serving).forEach((key, a) -> {
      if (!a.suitable()) {
        problems.put(key, a.problem());
      }
    });
    ModelSignature chosen = null;
    String evaluateProblem = null;
    try {
      SavedModelPreflight.requireLoadable(file.dir(), scan, false);
    } catch (UnsafeModelException e) {
      evaluateProblem = e.getMessage();
    }
    try {
      chosen = SignatureSelector.select(file.dir(), serving, null);
    } catch (SavedModelException e) {
      evaluateProblem = evaluateProblem == null ? e.getMessage() : evaluateProblem;
    }
    Inspection.Variables variables = variables(file.dir(), serving);
    if (evaluateProblem == null) {
      evaluateProblem = loadProblem != null ? loadProblem : variables.problem();
    }
    return new Inspection(file.dir(), file.file(), file.bytes(), savedBy, metaGraphs,
        List.copyOf(serving.getMetaInfoDef().getTagsList()), variables, scan, loadProblem, problems, chosen,
        evaluateProblem, TensorFlowVersions.assess(serving));
  }

  private static List<Inspection.SignatureInfo> signatures(MetaGraphDef m) {
    List<Inspection.SignatureInfo> result = new ArrayList<>();
    for (Map.Entry<String, SignatureDef> e : new TreeMap<>(m.getSignatureDefMap()).entrySet()) {
      result.add(new Inspection.SignatureInfo(e.getKey(), e.getValue().getMethodName(),
          specs(e.getValue().getInputsMap()), specs(e.getValue().getOutputsMap())));
    }
    return result;
  }

  private static List<TensorSpec> specs(Map<String, TensorInfo> infos) {
    List<TensorSpec> result = new ArrayList<>();
    new TreeMap<>(infos).forEach((key, info) -> result.add(TensorSpec.of(key, info)));
    return result;
  }

  /** From the checkpoint index when there is one, else from the graph's variable ops. */
  static Inspection.Variables variables(Path dir, MetaGraphDef metaGraph) {
    Path index = CheckpointIndex.indexFile(dir);
    if (Files.exists(index)) {
      try {
        CheckpointIndex checkpoint = CheckpointIndex.read(index);
        String problem = null;
        try {
          checkpoint.verifyDataFiles(dir.resolve("variables").resolve("variables"));
        } catch (SavedModelException e) {
          problem = e.getMessage();
        }
        return new Inspection.Variables(checkpoint.variables().size(), checkpoint.variableBytes(),
            checkpoint.shards(), "variables/variables.index", problem);
      } catch (SavedModelException e) {
        return fromGraph(metaGraph, e.getMessage());
      }
    }
    long variableOps = SavedModelPreflight.countVariableOps(metaGraph);
    return fromGraph(metaGraph, variableOps > 0 ? index + ": missing: the graph has " + variableOps
        + " variable op(s) whose values would stay unset" : null);
  }

  private static Inspection.Variables fromGraph(MetaGraphDef metaGraph, String problem) {
    int count = 0;
    long bytes = 0;
    List<NodeDef> nodes = new ArrayList<>(metaGraph.getGraphDef().getNodeList());
    for (FunctionDef f : metaGraph.getGraphDef().getLibrary().getFunctionList()) {
      nodes.addAll(f.getNodeDefList());
    }
    for (NodeDef node : nodes) {
      if (SavedModelPreflight.VARIABLE_OPS.contains(node.getOp())) {
        count++;
        bytes += bytes(node);
      }
    }
    return new Inspection.Variables(count, bytes, 0, "the graph's variable ops (no readable variables.index)",
        problem);
  }

  /** Size of a variable op's value from its shape and dtype attributes; 0 when unknown. */
  private static long bytes(NodeDef node) {
    AttrValue shape = node.getAttrMap().get("shape");
    AttrValue dtype = node.getAttrMap().get("dtype");
    if (shape == null || dtype == null) {
      return 0;
    }
    long[] dims = TensorSpec.dims(shape.getShape());
    if (dims == null) {
      return 0;
    }
    long elements = 1;
    for (long d : dims) {
      if (d < 0) {
        return 0;
      }
      elements *= d;
    }
    return elements * elementBytes(dtype.getType());
  }

  static int elementBytes(DataType type) {
    return switch (type) {
      case DT_DOUBLE, DT_INT64, DT_UINT64, DT_COMPLEX64 -> 8;
      case DT_FLOAT, DT_INT32, DT_UINT32 -> 4;
      case DT_HALF, DT_BFLOAT16, DT_INT16, DT_UINT16 -> 2;
      case DT_INT8, DT_UINT8, DT_BOOL -> 1;
      case DT_COMPLEX128 -> 16;
      default -> 0;
    };
  }
}
