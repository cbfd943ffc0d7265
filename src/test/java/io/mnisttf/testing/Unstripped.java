package io.mnisttf.testing;

import io.mnisttf.runtime.RegisteredOps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SavedModel;

/**
 * A copy of a SavedModel with every default-valued attr written out, as TF Java's exporter writes its graphs
 * (defaults of this process's TensorFlow, {@code stripped_default_attrs} cleared): the export before
 * stripping.
 */
public final class Unstripped {
  private Unstripped() {}

  /** Copies the SavedModel folder {@code model} to {@code target} with the defaults added back. */
  public static Path copy(Path model, Path target) throws IOException {
    try (Stream<Path> files = Files.walk(model)) {
      for (Path file : files.toList()) {
        Path dest = target.resolve(model.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(file, dest);
        }
      }
    }
    Path pb = target.resolve("saved_model.pb");
    SavedModel.Builder saved = SavedModel.parseFrom(Files.readAllBytes(pb)).toBuilder();
    for (MetaGraphDef.Builder meta : saved.getMetaGraphsBuilderList()) {
      meta.setGraphDef(withDefaults(meta.getGraphDef()));
      meta.getMetaInfoDefBuilder().setStrippedDefaultAttrs(false);
    }
    Files.write(pb, saved.build().toByteArray());
    return target;
  }

  /** The graph with every attr that has a default and is absent set to that default. */
  public static GraphDef withDefaults(GraphDef graph) {
    GraphDef.Builder b = graph.toBuilder();
    b.getNodeBuilderList().forEach(Unstripped::addDefaults);
    for (FunctionDef.Builder f : b.getLibraryBuilder().getFunctionBuilderList()) {
      f.getNodeDefBuilderList().forEach(Unstripped::addDefaults);
    }
    return b.build();
  }

  private static void addDefaults(NodeDef.Builder node) {
    RegisteredOps.get(node.getOp()).ifPresent(op -> {
      for (OpDef.AttrDef def : op.getAttrList()) {
        if (def.hasDefaultValue() && !node.containsAttr(def.getName())) {
          node.putAttr(def.getName(), def.getDefaultValue());
        }
      }
    });
  }
}
