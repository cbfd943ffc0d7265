package io.mnisttf.savedmodel.internal.preflight;

import io.mnisttf.compat.TfRuntime;
import io.mnisttf.compat.XlaModule;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.internal.signature.SignatureAssessor;
import io.mnisttf.savedmodel.TensorSpec;

/**
 * Models that TensorFlow Java 1.1.0's {@code SavedModelBundle.load} refuses, found before loading so the
 * user gets a reason instead of a stack trace.
 *
 * <p>When it loads a model, TF Java checks every input of every signature against the graph: same dtype,
 * and a shape compatible with the signature's. It reads a signature shape of unknown rank as a scalar
 * {@code []}, so a signature that leaves the rank unknown for a placeholder of known rank cannot be loaded
 * at all, whichever signature is used.
 *
 * <p>A JAX computation ({@link XlaModule}: Keras 3's JAX backend, {@code jax2tf}) that this TensorFlow's XLA cannot
 * read (a newer serialization or StableHLO version, or no CPU lowering) loads, then fails on every call with
 * "Cannot deserialize computation" or a version error: it is refused before loading, with the versions.
 */
public final class TfJavaLimits {
  private TfJavaLimits() {}

  /** The fix for a JAX computation this TensorFlow cannot run. */
  public static final String JAX_EXPORT_FIX = "export the model from Keras' TensorFlow backend instead"
      + " (KERAS_BACKEND=tensorflow, then model.export(\"DIR\"))";

  /** Throws when TF Java would refuse to load {@code metaGraph}, or could not run it. */
  public static void check(Path dir, MetaGraphDef metaGraph) throws SavedModelException {
    TfRuntime runtime = TfRuntime.CURRENT;
    for (XlaModule module : XlaModule.of(metaGraph.getGraphDef())) {
      String problem = module.problem(runtime);
      if (problem != null) {
        throw new SavedModelException(dir, SavedModelException.Kind.UNSUPPORTED, "its computation is a JAX/StableHLO module (" + module.describe()
            + ", in " + module.node() + ") that TensorFlow " + runtime.version() + " cannot run (" + problem
            + "): a newer JAX made it; " + JAX_EXPORT_FIX);
      }
    }
    Map<String, NodeDef> nodes = new HashMap<>();
    for (NodeDef node : metaGraph.getGraphDef().getNodeList()) {
      nodes.put(node.getName(), node);
    }
    for (Map.Entry<String, SignatureDef> s : new TreeMap<>(metaGraph.getSignatureDefMap()).entrySet()) {
      for (Map.Entry<String, TensorInfo> in : new TreeMap<>(s.getValue().getInputsMap()).entrySet()) {
        String problem = problem(in.getValue(), nodes.get(OpScanner.nodeName(in.getValue().getName())));
        if (problem != null) {
          throw new SavedModelException(dir, SavedModelException.Kind.UNSUPPORTED, "signature '" + s.getKey() + "' input '" + in.getKey() + "' "
              + problem + "; TensorFlow Java 1.1.0 refuses to load such a model");
        }
      }
    }
  }

  private static String problem(TensorInfo info, NodeDef node) {
    if (node == null || !node.getOp().startsWith("Placeholder") || info.getName().isEmpty()) {
      return null;
    }
    AttrValue dtype = node.getAttrMap().get("dtype");
    if (dtype != null && dtype.getType() != DataType.DT_INVALID && dtype.getType() != info.getDtype()) {
      return "is declared " + info.getDtype() + " but its placeholder '" + node.getName() + "' is "
          + dtype.getType();
    }
    long[] graphDims = SignatureAssessor.placeholderDims(node);
    if (graphDims == null) {
      return null;
    }
    long[] declared = TensorSpec.dims(info.getTensorShape());
    if (declared == null) {
      return graphDims.length == 0 ? null : "has unknown rank (read as a scalar []) but its placeholder '"
          + node.getName() + "' has shape " + TensorSpec.shapeText(graphDims);
    }
    if (!SignatureAssessor.compatible(declared, graphDims)) {
      return "is declared " + TensorSpec.shapeText(declared) + " but its placeholder '" + node.getName()
          + "' has shape " + TensorSpec.shapeText(graphDims);
    }
    return null;
  }
}
