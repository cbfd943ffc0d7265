package io.mnisttf.savedmodel;

import io.mnisttf.model.RegisteredOps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Everything checked before a SavedModel is loaded, since loading already runs its restore and init ops:
 * the model file parses; every op type is known to this TensorFlow; no op touches files, the network or
 * processes (unless allowed); TensorFlow Java can load it ({@link TfJavaLimits}); no function calls itself
 * ({@link FunctionCycleCheck}); list-length attrs fit the op definitions and the inputs
 * ({@link ListAttrCheck}); every constant's shape fits its content and a size cap ({@link TensorAttrCheck});
 * a signature can take MNIST images; the variable files the index lists exist and are long enough; and the
 * checkpoint's entries have the types and shapes of what restores them ({@link CheckpointMatchCheck}).
 */
public final class SavedModelPreflight {
  /** Op types that hold variables, whose values must come from the checkpoint. */
  static final Set<String> VARIABLE_OPS = Set.of("VariableV2", "Variable", "VarHandleOp");

  private SavedModelPreflight() {}

  /**
   * Checks the model in {@code dir}.
   *
   * @param dir the SavedModel folder (or a Serving base folder with numbered versions)
   * @param signatureKey the signature to use, or {@code null} to discover it
   * @param allowUnsafeOps accept ops that touch files, the network or processes
   * @throws UnsafeModelException when unknown ops, or unsafe ops without {@code allowUnsafeOps}, are found
   * @throws SavedModelException for every other problem, naming the folder or file
   */
  public static CheckedModel check(Path dir, String signatureKey, boolean allowUnsafeOps)
      throws SavedModelException {
    SavedModelFile file = SavedModelReader.read(dir);
    MetaGraphDef metaGraph = file.servingMetaGraph();
    OpScan scan = OpScanner.scan(metaGraph);
    requireLoadable(file.dir(), scan, allowUnsafeOps);
    TfJavaLimits.check(file.dir(), metaGraph);
    FunctionCycleCheck.check(file.dir(), metaGraph);
    ListAttrCheck.check(file.dir(), metaGraph);
    TensorAttrCheck.check(file.dir(), metaGraph);
    ModelSignature signature = SignatureSelector.select(file.dir(), metaGraph, signatureKey);
    CheckpointIndex variables = checkVariables(file.dir(), metaGraph);
    CheckpointMatchCheck.check(file.dir(), metaGraph, variables);
    return new CheckedModel(file, metaGraph, scan, signature, variables);
  }

  /** Refuses unknown ops always, and unsafe ops unless allowed. */
  static void requireLoadable(Path dir, OpScan scan, boolean allowUnsafeOps) throws UnsafeModelException {
    if (!scan.allKnown()) {
      throw new UnsafeModelException(dir, "refused before loading: op types unknown to TensorFlow "
          + RegisteredOps.version() + " (a newer TensorFlow or a custom op library made it): "
          + OpScan.describe(scan.unknown()), scan);
    }
    if (!scan.safe() && !allowUnsafeOps) {
      throw new UnsafeModelException(dir, "refused before loading: the graph holds ops that touch files, the"
          + " network or processes: " + OpScan.describe(scan.unsafe())
          + "; allow unsafe ops (--allow-unsafe-ops) only for a model you trust", scan);
    }
  }

  /**
   * Reads and checks the checkpoint index and data files; {@code null} when the model has neither a
   * {@code variables/} index nor variable ops.
   */
  static CheckpointIndex checkVariables(Path dir, MetaGraphDef metaGraph) throws SavedModelException {
    Path index = CheckpointIndex.indexFile(dir);
    if (!Files.exists(index)) {
      long variableOps = countVariableOps(metaGraph);
      if (variableOps > 0) {
        throw new SavedModelException(index, "missing: the graph has " + variableOps
            + " variable op(s) whose values would stay unset");
      }
      return null;
    }
    CheckpointIndex checkpoint = CheckpointIndex.read(index);
    checkpoint.verifyDataFiles(dir.resolve("variables").resolve("variables"));
    return checkpoint;
  }

  static long countVariableOps(MetaGraphDef metaGraph) {
    long count = metaGraph.getGraphDef().getNodeList().stream().filter(n -> VARIABLE_OPS.contains(n.getOp())).count();
    for (FunctionDef f : metaGraph.getGraphDef().getLibrary().getFunctionList()) {
      for (NodeDef n : f.getNodeDefList()) {
        if (VARIABLE_OPS.contains(n.getOp())) {
          count++;
        }
      }
    }
    return count;
  }
}
