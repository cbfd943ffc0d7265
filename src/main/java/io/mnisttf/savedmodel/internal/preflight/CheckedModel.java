package io.mnisttf.savedmodel.internal.preflight;

import io.mnisttf.layout.ExportContract;
import io.mnisttf.savedmodel.internal.signature.Selection;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.proto.MetaGraphDef;
import io.mnisttf.savedmodel.internal.format.CheckpointIndex;
import io.mnisttf.savedmodel.internal.format.SavedModelFile;
import io.mnisttf.savedmodel.ModelSignature;
import io.mnisttf.savedmodel.OpScan;

/**
 * A SavedModel that passed {@link PreloadReport}: parsed, scanned, its signature chosen and its
 * variable files checked, all without loading it.
 *
 * @param file the parsed model file
 * @param metaGraph the MetaGraphDef to load
 * @param scan what the op scan found (safe, or unsafe ops explicitly allowed)
 * @param selection what to call: the signature, its alternatives, the contract and the notes
 * @param variables the checkpoint index, or {@code null} when the model has no variables
 */
public record CheckedModel(SavedModelFile file, MetaGraphDef metaGraph, OpScan scan,
    Selection selection, CheckpointIndex variables) {

  /** The signature to classify with. */
  public ModelSignature signature() {
    return selection.signature();
  }

  /**
   * The export's contract when the model carries one and the signature used is the one it describes (then no
   * calibration is needed), else {@code null}.
   */
  public ExportContract contract() {
    return selection.contract();
  }

  /** One-line remarks for the user about the choices made (tag set, tensors, contract), in order. */
  public List<String> notes() {
    return selection.notes();
  }

  /** The SavedModel folder. */
  public Path dir() {
    return file.dir();
  }

  /** Tags of the MetaGraphDef to load. */
  public List<String> tags() {
    return List.copyOf(metaGraph.getMetaInfoDef().getTagsList());
  }
}
