package io.mnisttf.savedmodel.internal.signature;

import io.mnisttf.layout.ExportContract;
import io.mnisttf.savedmodel.ClassifierOptions;
import io.mnisttf.savedmodel.ModelSignature;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.internal.format.SavedModelFile;
import io.mnisttf.util.FileProblemException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.MetaGraphDef;

/**
 * What is called in the chosen MetaGraphDef, decided without loading anything: the one decision that
 * {@code evaluate}, {@code predict} and {@code inspect} share.
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

  /**
   * The graph tensors when the options name them; else the contract's signature when the model carries our
   * export contract and no other signature is requested; else the requested or discovered signature.
   *
   * @param dir the SavedModel folder
   * @param tagSet the MetaGraphDef chosen for the options' tag set, with its note
   * @throws SavedModelException when the requested signature or tensors do not exist ({@code NOT_FOUND}) or cannot
   *     classify MNIST images, no signature can, or the contract contradicts the model
   */
  public static Selection of(Path dir, SavedModelFile.Choice tagSet, ClassifierOptions options)
      throws SavedModelException {
    MetaGraphDef metaGraph = tagSet.metaGraph();
    List<String> notes = new ArrayList<>();
    if (tagSet.note() != null) {
      notes.add(tagSet.note());
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
    } catch (FileProblemException e) {
      throw new SavedModelException(e.path(), SavedModelException.Kind.INCONSISTENT, e.problem(), e);
    } catch (IOException e) {
      throw new SavedModelException(dir.resolve(ExportContract.FILE), SavedModelException.Kind.INCONSISTENT,
          e.getMessage(), e);
    }
  }
}
