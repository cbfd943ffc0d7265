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
import io.mnisttf.savedmodel.internal.format.CheckpointIndex;
import io.mnisttf.savedmodel.internal.format.SavedModelFile;
import io.mnisttf.savedmodel.OpScan;
import io.mnisttf.savedmodel.internal.preflight.PreloadReport;
import io.mnisttf.savedmodel.internal.signature.ContractSignature;
import io.mnisttf.savedmodel.internal.signature.Selection;
import io.mnisttf.savedmodel.internal.signature.SignatureSelector;

/**
 * Describes a SavedModel without loading it (nothing in it runs): tag sets, signatures, variables, op types, the
 * safety verdict, the TensorFlow versions that load it, and whether and how {@code evaluate} would use it with the
 * same model-selection options: it renders the same pre-load report that loading acts on, so that what it says
 * {@code evaluate} would do is what {@code evaluate} does.
 */
public final class ModelInspector {
  private ModelInspector() {}

  /** Inspects the model in {@code dir} for evaluate's default choices. */
  public static Inspection inspect(Path dir) throws SavedModelException {
    return inspect(dir, ClassifierOptions.DEFAULTS);
  }

  /**
   * Inspects the model in {@code dir}: the MetaGraphDef of the options' tag set, and what evaluate would call in
   * it with the options' signature or graph tensors.
   *
   * @throws SavedModelException when the model file cannot be read or parsed, or a tag set, signature or tensors
   *     the options name cannot be used (the error evaluate gives); every other problem is reported in the result
   */
  public static Inspection inspect(Path dir, ClassifierOptions options) throws SavedModelException {
    PreloadReport report = PreloadReport.of(dir, options);
    if (report.selection() == null && (options.signatureKey() != null || options.inputTensor() != null)) {
      throw report.findings().stream().filter(f -> f.kind() == SavedModelException.Kind.NOT_A_CLASSIFIER)
          .findFirst().orElseThrow(); // the signature or tensors named cannot classify: the error evaluate gives
    }
    SavedModelFile file = report.file();
    List<Inspection.MetaGraph> metaGraphs = new ArrayList<>();
    for (MetaGraphDef m : file.proto().getMetaGraphsList()) {
      metaGraphs.add(new Inspection.MetaGraph(List.copyOf(m.getMetaInfoDef().getTagsList()), signatures(m)));
    }
    String savedBy = file.proto().getMetaGraphs(0).getMetaInfoDef().getTensorflowVersion();
    String evaluateProblem = report.loadable() ? null : report.findings().get(0).getMessage();
    if (report.tagSet() == null) {
      return new Inspection(file.dir(), file.file(), file.bytes(), savedBy, metaGraphs, null, null, null, null,
          Map.of(), null, evaluateProblem, null);
    }
    MetaGraphDef serving = report.tagSet().metaGraph();
    SavedModelException unsupported = report.finding(SavedModelException.Kind.UNSUPPORTED);
    Map<String, String> problems = new LinkedHashMap<>();
    SignatureSelector.assessAll(serving).forEach((key, a) -> {
      if (!a.suitable()) {
        problems.put(key, a.problem());
      }
    });
    Inspection.Plan plan = report.loadable() ? plan(file.dir(), report.selection(), options) : null;
    return new Inspection(file.dir(), file.file(), file.bytes(), savedBy, metaGraphs,
        List.copyOf(serving.getMetaInfoDef().getTagsList()), variables(report), report.scan(),
        unsupported == null ? null : unsupported.getMessage(), problems, plan, evaluateProblem,
        TensorFlowVersions.assess(serving));
  }

  /** How evaluate would feed what {@code selection} calls, with {@code --input-scale auto}. */
  static Inspection.Plan plan(Path dir, Selection selection, ClassifierOptions options) throws SavedModelException {
    ModelSignature s = selection.signature();
    if (selection.contract() != null) {
      Calibration c = ContractSignature.calibration(dir, selection.contract(), InputScale.AUTO);
      return new Inspection.Plan(s, c.scale(), c.scaleReason(), selection.notes());
    }
    String samples = options.calibrationSamples() + " training images";
    if (s.integerFeed()) {
      return new Inspection.Plan(s, InputScale.BYTE, "the model is fed " + s.wholeNumbers() + ";"
          + " output kind calibrated on " + samples, selection.notes());
    }
    return new Inspection.Plan(s, InputScale.AUTO, "calibrated on " + samples + ": [0,1] or 0..255, whichever"
        + " gives the lower loss", selection.notes());
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

  /** From the checkpoint index when it could be read, else from the graph's variable ops. */
  static Inspection.Variables variables(PreloadReport report) {
    MetaGraphDef metaGraph = report.tagSet().metaGraph();
    CheckpointIndex checkpoint = report.variables();
    SavedModelException problem = report.findings().stream()
        .filter(f -> f.path().startsWith(report.dir().resolve("variables"))).findFirst().orElse(null);
    String problemText = problem == null ? null : problem.getMessage();
    if (checkpoint != null) {
      return new Inspection.Variables(checkpoint.variables().size(), checkpoint.variableBytes(), checkpoint.shards(),
          "variables/variables.index", problemText);
    }
    return fromGraph(metaGraph, problemText);
  }

  private static Inspection.Variables fromGraph(MetaGraphDef metaGraph, String problem) {
    int count = 0;
    long bytes = 0;
    List<NodeDef> nodes = new ArrayList<>(metaGraph.getGraphDef().getNodeList());
    for (FunctionDef f : metaGraph.getGraphDef().getLibrary().getFunctionList()) {
      nodes.addAll(f.getNodeDefList());
    }
    for (NodeDef node : nodes) {
      if (PreloadReport.VARIABLE_OPS.contains(node.getOp())) {
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
