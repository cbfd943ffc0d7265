package io.mnisttf.savedmodel.internal.preflight;

import io.mnisttf.runtime.RegisteredOps;
import io.mnisttf.savedmodel.ClassifierOptions;
import io.mnisttf.savedmodel.OpScan;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.internal.format.CheckpointIndex;
import io.mnisttf.savedmodel.internal.format.SavedModelFile;
import io.mnisttf.savedmodel.internal.format.SavedModelReader;
import io.mnisttf.savedmodel.internal.signature.Selection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Everything known about a SavedModel before it is loaded (loading already runs its restore and init ops), found
 * once and read by both its users: loading refuses the model on the first finding ({@link #requireLoadable}), and
 * {@code inspect} shows them all. The checks, in order: the model file parses (else nothing can be reported);
 * a tag set can be chosen; every op type is known to this TensorFlow and none touches files, the network or
 * processes unless allowed; TensorFlow Java can load and run it ({@link TfJavaLimits}); no function calls itself
 * ({@link FunctionCycleCheck}); list-length attrs fit the op definitions and the inputs ({@link ListAttrCheck});
 * every constant's shape fits its content and a size cap ({@link TensorAttrCheck}); a signature can take MNIST
 * images ({@link Selection}); the variable files the index lists exist and are long enough, and the checkpoint's
 * entries have the types and shapes of what restores them ({@link CheckpointMatchCheck}).
 *
 * @param file the parsed model file
 * @param tagSet the MetaGraphDef chosen, or {@code null} when none can be (then it is the only finding)
 * @param scan what the op scan found in it, or {@code null} without a MetaGraphDef
 * @param selection what would be called, or {@code null} when nothing can be (or, for serving, nothing is chosen)
 * @param variables the checkpoint index, or {@code null} when there is none or it cannot be read
 * @param findings every problem that refuses the model, in the order of the checks; empty when it can be loaded
 */
public record PreloadReport(SavedModelFile file, SavedModelFile.Choice tagSet, OpScan scan, Selection selection,
    CheckpointIndex variables, List<SavedModelException> findings) {
  /** Op types that hold variables, whose values must come from the checkpoint. */
  public static final Set<String> VARIABLE_OPS = Set.of("VariableV2", "Variable", "VarHandleOp");

  public PreloadReport {
    findings = List.copyOf(findings);
  }

  /** One check that throws its finding. */
  private interface Check {
    void run() throws SavedModelException;
  }

  /**
   * Reports on the model in {@code dir} for the options' tag set, signature or graph tensors and unsafe-op policy.
   *
   * @throws SavedModelException when the model file cannot be read at all, or a tag set, signature or tensor the
   *     options name does not exist (kind {@code NOT_FOUND}): there is then nothing to report on
   */
  public static PreloadReport of(Path dir, ClassifierOptions options) throws SavedModelException {
    SavedModelFile file = SavedModelReader.read(dir);
    SavedModelFile.Choice tagSet;
    try {
      tagSet = file.metaGraph(options.tagList());
    } catch (SavedModelException e) {
      if (options.tagList() != null) {
        throw e;
      }
      return new PreloadReport(file, null, null, null, null, List.of(e));
    }
    return check(file, tagSet, options.allowUnsafeOps(), options);
  }

  /**
   * Reports on the model of the version folder {@code dir} for serving it as TF Serving does: the MetaGraphDef
   * tagged exactly {@code serve}, every signature served as it is (no MNIST signature is required, so no
   * selection), the same safety and integrity checks.
   *
   * @throws SavedModelException when the folder does not hold a model file itself, cannot be read, or has no
   *     {@code serve} MetaGraphDef
   */
  public static PreloadReport forServing(Path dir, boolean allowUnsafeOps) throws SavedModelException {
    if (Files.isDirectory(dir) && !Files.isRegularFile(dir.resolve(SavedModelReader.MODEL_FILE))
        && !Files.isRegularFile(dir.resolve(SavedModelReader.MODEL_TEXT_FILE))) {
      throw new SavedModelException(dir, "not a SavedModel folder: no " + SavedModelReader.MODEL_FILE + " in it");
    }
    SavedModelFile file = SavedModelReader.read(dir);
    return check(file, file.metaGraph(List.of(SavedModelFile.SERVE_TAG)), allowUnsafeOps, null);
  }

  /** The checks of a chosen MetaGraphDef; {@code selectFor} null: no signature selection (serving). */
  private static PreloadReport check(SavedModelFile file, SavedModelFile.Choice tagSet, boolean allowUnsafeOps,
      ClassifierOptions selectFor) throws SavedModelException {
    List<SavedModelException> findings = new ArrayList<>();
    MetaGraphDef metaGraph = tagSet.metaGraph();
    Path model = file.dir();
    OpScan scan = OpScanner.scan(metaGraph);
    run(findings, () -> requireKnownAndSafe(model, scan, allowUnsafeOps));
    run(findings, () -> TfJavaLimits.check(model, metaGraph));
    run(findings, () -> FunctionCycleCheck.check(model, metaGraph));
    run(findings, () -> ListAttrCheck.check(model, metaGraph));
    run(findings, () -> TensorAttrCheck.check(model, metaGraph));
    Selection selection = null;
    if (selectFor != null) {
      try {
        selection = Selection.of(model, tagSet, selectFor);
      } catch (SavedModelException e) {
        if (e.kind() == SavedModelException.Kind.NOT_FOUND) {
          throw e;
        }
        findings.add(e);
      }
    }
    CheckpointIndex variables = null;
    try {
      variables = readVariables(model, metaGraph);
      CheckpointMatchCheck.check(model, metaGraph, variables);
    } catch (SavedModelException e) {
      findings.add(e);
    }
    return new PreloadReport(file, tagSet, scan, selection, variables, findings);
  }

  private static void run(List<SavedModelException> findings, Check check) {
    try {
      check.run();
    } catch (SavedModelException e) {
      findings.add(e);
    }
  }

  /** The SavedModel folder (a numbered version folder when a Serving base folder was given). */
  public Path dir() {
    return file.dir();
  }

  /** Whether nothing refuses the model. */
  public boolean loadable() {
    return findings.isEmpty();
  }

  /**
   * The model, ready to load.
   *
   * @throws SavedModelException the first finding, when there is one
   */
  public CheckedModel requireLoadable() throws SavedModelException {
    if (!findings.isEmpty()) {
      throw findings.get(0);
    }
    return new CheckedModel(file, tagSet.metaGraph(), scan, selection, variables);
  }

  /** The first finding of {@code kind}, or {@code null}. */
  public SavedModelException finding(SavedModelException.Kind kind) {
    return findings.stream().filter(f -> f.kind() == kind).findFirst().orElse(null);
  }

  /** Refuses unknown ops always, and unsafe ops unless allowed. */
  static void requireKnownAndSafe(Path dir, OpScan scan, boolean allowUnsafeOps) throws SavedModelException {
    if (!scan.allKnown()) {
      throw new SavedModelException(dir, SavedModelException.Kind.UNKNOWN_OPS, "refused before loading: op types"
          + " unknown to TensorFlow " + RegisteredOps.version() + " (a newer TensorFlow or a custom op library made"
          + " it): " + OpScan.describe(scan.unknown()));
    }
    if (!scan.safe() && !allowUnsafeOps) {
      throw new SavedModelException(dir, SavedModelException.Kind.UNSAFE_OPS, "refused before loading: the graph"
          + " holds ops that touch files, the network or processes: " + OpScan.describe(scan.unsafe()));
    }
  }

  /**
   * Reads and checks the checkpoint index and data files; {@code null} when the model has neither a
   * {@code variables/} index nor variable ops.
   */
  static CheckpointIndex readVariables(Path dir, MetaGraphDef metaGraph) throws SavedModelException {
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

  /** Variable ops in the graph and every function of its library. */
  public static long countVariableOps(MetaGraphDef metaGraph) {
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
