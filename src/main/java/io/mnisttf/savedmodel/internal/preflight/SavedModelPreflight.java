package io.mnisttf.savedmodel.internal.preflight;

import io.mnisttf.layout.ExportContract;
import io.mnisttf.runtime.RegisteredOps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import io.mnisttf.savedmodel.internal.format.CheckpointIndex;
import io.mnisttf.savedmodel.internal.format.SavedModelFile;
import io.mnisttf.savedmodel.internal.format.SavedModelReader;
import io.mnisttf.savedmodel.ClassifierOptions;
import io.mnisttf.savedmodel.internal.signature.ContractSignature;
import io.mnisttf.savedmodel.internal.signature.GraphTensors;
import io.mnisttf.savedmodel.ModelSignature;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.internal.signature.SignatureSelector;

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
  public static final Set<String> VARIABLE_OPS = Set.of("VariableV2", "Variable", "VarHandleOp");

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
    return check(dir, ClassifierOptions.DEFAULTS.withSignatureKey(signatureKey).withAllowUnsafeOps(allowUnsafeOps));
  }

  /**
   * Checks the model in {@code dir} for the options' tag set, signature or graph tensors and unsafe-op policy.
   * When the model carries our export contract ({@code assets.extra/mnist-tf-java.json}) and neither another
   * signature nor graph tensors are requested, the contract's signature is used and checked against the model.
   *
   * @throws UnsafeModelException when unknown ops, or unsafe ops not allowed, are found
   * @throws SavedModelException for every other problem, naming the folder or file
   */
  public static CheckedModel check(Path dir, ClassifierOptions options) throws SavedModelException {
    SavedModelFile file = SavedModelReader.read(dir);
    SavedModelFile.Choice tagSet = file.metaGraph(options.tagList());
    MetaGraphDef metaGraph = tagSet.metaGraph();
    OpScan scan = OpScanner.scan(metaGraph);
    requireLoadable(file.dir(), scan, options.allowUnsafeOps());
    TfJavaLimits.check(file.dir(), metaGraph);
    FunctionCycleCheck.check(file.dir(), metaGraph);
    ListAttrCheck.check(file.dir(), metaGraph);
    TensorAttrCheck.check(file.dir(), metaGraph);
    Selection selection = select(file.dir(), tagSet, options);
    CheckpointIndex variables = checkVariables(file.dir(), metaGraph);
    CheckpointMatchCheck.check(file.dir(), metaGraph, variables);
    return new CheckedModel(file, metaGraph, scan, selection, variables);
  }

  /**
   * What {@link #check} calls in the chosen MetaGraphDef, decided without loading anything.
   *
   * @param signature the signature to classify with (or the graph tensors, keyed {@link ModelSignature#TENSORS_KEY})
   * @param alternatives the other signatures that could classify, best first (empty when the tensors, the
   *     contract or the user named what to call)
   * @param requested whether the user named the signature or tensors: a choice shown wrong once the model runs is
   *     then refused rather than replaced
   * @param contract the export's contract when it describes {@code signature} (then no calibration is needed),
   *     else {@code null}
   * @param notes one-line remarks for the user about the choices made (tag set, tensors, contract), in order
   */
  public record Selection(ModelSignature signature, List<ModelSignature> alternatives, boolean requested,
      ExportContract contract, List<String> notes) {
    public Selection {
      alternatives = List.copyOf(alternatives);
      notes = List.copyOf(notes);
    }
  }

  /**
   * The one decision of what to call in the chosen MetaGraphDef, shared by {@link #check} and {@code inspect}:
   * the graph tensors when the options name them; else the contract's signature when the model carries our
   * export contract and no other signature is requested; else the requested or discovered signature.
   *
   * @param dir the SavedModel folder
   * @param choice the MetaGraphDef chosen for the options' tag set, with its note
   * @throws SavedModelException when the requested signature or tensors do not exist or cannot classify MNIST
   *     images, no signature can, or the contract contradicts the model
   */
  public static Selection select(Path dir, SavedModelFile.Choice choice, ClassifierOptions options)
      throws SavedModelException {
    MetaGraphDef metaGraph = choice.metaGraph();
    List<String> notes = new ArrayList<>();
    if (choice.note() != null) {
      notes.add(choice.note());
    }
    ExportContract contract = readContract(dir);
    if (options.inputTensor() != null) {
      ModelSignature signature = GraphTensors.select(dir, metaGraph, options.inputTensor(), options.outputTensor());
      notes.add("called by graph tensor names " + signature.input().name() + " -> " + signature.output().name()
          + ", not through a signature");
      return new Selection(signature, List.of(), true, null, notes);
    }
    if (contract != null && (options.signatureKey() == null || options.signatureKey().equals(contract.signature()))) {
      ModelSignature signature = ContractSignature.select(dir, metaGraph, contract);
      String metrics = ContractSignature.metricsNote(contract);
      if (metrics != null) {
        notes.add(metrics);
      }
      return new Selection(signature, List.of(), true, contract, notes);
    }
    SignatureSelector.Choice chosen = SignatureSelector.choose(dir, metaGraph, options.signatureKey());
    if (chosen.note() != null) {
      notes.add(chosen.note());
    }
    if (contract != null) {
      notes.add("the export's contract describes signature '" + contract.signature() + "', not '"
          + chosen.signature().key() + "': calibrating instead");
    }
    return new Selection(chosen.signature(), chosen.alternatives(), chosen.requested(), null, notes);
  }

  private static ExportContract readContract(Path dir) throws SavedModelException {
    try {
      return ExportContract.read(dir).orElse(null);
    } catch (IOException e) {
      throw new SavedModelException(dir.resolve(ExportContract.FILE), e.getMessage()
          .replaceFirst("^" + java.util.regex.Pattern.quote(dir.resolve(ExportContract.FILE).toString()) + ": ", ""));
    }
  }

  /** Refuses unknown ops always, and unsafe ops unless allowed. */
  public static void requireLoadable(Path dir, OpScan scan, boolean allowUnsafeOps) throws UnsafeModelException {
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
  public static CheckpointIndex checkVariables(Path dir, MetaGraphDef metaGraph) throws SavedModelException {
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
