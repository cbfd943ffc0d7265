package io.mnisttf.savedmodel.internal.format;

import io.mnisttf.layout.ServingConventions;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import io.mnisttf.savedmodel.SavedModelException;

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
  public static final String SERVE_TAG = ServingConventions.SERVE_TAG;

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
    return metaGraph(null).metaGraph();
  }

  /**
   * A chosen MetaGraphDef.
   *
   * @param metaGraph the MetaGraphDef to load
   * @param note a remark for the user (the only tag set used because there is no {@code serve}), or {@code null}
   */
  public record Choice(MetaGraphDef metaGraph, String note) {}

  /**
   * The MetaGraphDef whose tag set is {@code requested} (in any order), or, when {@code requested} is
   * {@code null}, the one {@link #servingMetaGraph()} describes.
   *
   * @throws SavedModelException when no tag set matches; the message lists the tag sets there are
   */
  public Choice metaGraph(List<String> requested) throws SavedModelException {
    if (requested != null) {
      for (MetaGraphDef m : proto.getMetaGraphsList()) {
        if (new HashSet<>(m.getMetaInfoDef().getTagsList()).equals(new HashSet<>(requested))) {
          return new Choice(m, null);
        }
      }
      throw new SavedModelException(file, SavedModelException.Kind.NOT_FOUND, "no tag set '" + String.join(",", requested) + "'; the model has "
          + describeTagSets());
    }
    for (MetaGraphDef m : proto.getMetaGraphsList()) {
      if (m.getMetaInfoDef().getTagsList().equals(List.of(SERVE_TAG))) {
        return new Choice(m, null);
      }
    }
    for (MetaGraphDef m : proto.getMetaGraphsList()) {
      if (m.getMetaInfoDef().getTagsList().contains(SERVE_TAG)) {
        return new Choice(m, null);
      }
    }
    if (proto.getMetaGraphsCount() == 1) {
      MetaGraphDef only = proto.getMetaGraphs(0);
      return new Choice(only, "no '" + SERVE_TAG + "' tag set; using the model's only tag set '"
          + String.join(",", only.getMetaInfoDef().getTagsList()) + "'");
    }
    throw new SavedModelException(file, SavedModelException.Kind.TAG_SET_NEEDED, "no MetaGraphDef tagged '" + SERVE_TAG + "' among the "
        + describeTagSets() + "; name the tag set to load");
  }

  /** The tag sets, quoted, at most 10 of them: {@code 'serve', 'train,gpu'}. */
  public String describeTagSets() {
    List<String> sets = tagSets().stream().map(t -> "'" + String.join(",", t) + "'").toList();
    return sets.size() <= 10 ? "tag sets " + String.join(", ", sets)
        : "tag sets " + String.join(", ", sets.subList(0, 10)) + " and " + (sets.size() - 10) + " more";
  }
}
