package io.mnisttf.savedmodel;

import java.nio.file.Path;
import java.util.List;
import org.tensorflow.proto.MetaGraphDef;

/**
 * A SavedModel that passed {@link SavedModelPreflight}: parsed, scanned, its signature chosen and its
 * variable files checked, all without loading it.
 *
 * @param file the parsed model file
 * @param metaGraph the MetaGraphDef to load
 * @param scan what the op scan found (safe, or unsafe ops explicitly allowed)
 * @param signature the signature to classify with
 * @param variables the checkpoint index, or {@code null} when the model has no variables
 */
public record CheckedModel(SavedModelFile file, MetaGraphDef metaGraph, OpScan scan, ModelSignature signature,
    CheckpointIndex variables) {

  /** The SavedModel folder. */
  public Path dir() {
    return file.dir();
  }

  /** Tags of the MetaGraphDef to load. */
  public List<String> tags() {
    return List.copyOf(metaGraph.getMetaInfoDef().getTagsList());
  }
}
