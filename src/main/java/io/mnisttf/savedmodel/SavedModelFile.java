package io.mnisttf.savedmodel;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;

/**
 * A parsed {@code saved_model.pb}, not loaded into TensorFlow.
 *
 * @param dir the SavedModel folder (a numbered version folder when a Serving base folder was given)
 * @param file the model file read
 * @param bytes size of the model file
 * @param proto its content, with at least one MetaGraphDef
 */
public record SavedModelFile(Path dir, Path file, long bytes, SavedModel proto) {
  /** The tag to serve with, as TensorFlow Serving and {@code SavedModelBundle.load(dir)} use. */
  public static final String SERVE_TAG = "serve";

  /** The tag set of each MetaGraphDef, in file order. */
  public List<List<String>> tagSets() {
    return proto.getMetaGraphsList().stream()
        .map(m -> List.copyOf(m.getMetaInfoDef().getTagsList()))
        .collect(Collectors.toList());
  }

  /**
   * The MetaGraphDef to serve: the one tagged exactly {@code serve}, else the first whose tags include
   * {@code serve}, else the only one.
   *
   * @throws SavedModelException when several MetaGraphDefs exist and none is tagged {@code serve}
   */
  public MetaGraphDef servingMetaGraph() throws SavedModelException {
    for (MetaGraphDef m : proto.getMetaGraphsList()) {
      if (m.getMetaInfoDef().getTagsList().equals(List.of(SERVE_TAG))) {
        return m;
      }
    }
    for (MetaGraphDef m : proto.getMetaGraphsList()) {
      if (m.getMetaInfoDef().getTagsList().contains(SERVE_TAG)) {
        return m;
      }
    }
    if (proto.getMetaGraphsCount() == 1) {
      return proto.getMetaGraphs(0);
    }
    throw new SavedModelException(file, "no MetaGraphDef tagged '" + SERVE_TAG + "' among the tag sets "
        + tagSets());
  }
}
