package io.mnisttf.savedmodel.internal.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.SavedModel;

/**
 * Recognises model files that are not SavedModels, so that the user learns what they have and what to do with
 * it: Keras files ({@code .keras} zip archives, HDF5 {@code .h5}), frozen TensorFlow graphs ({@code .pb}
 * GraphDefs), TensorFlow Lite flatbuffers and ONNX models. Recognised by their content (magic numbers, a
 * GraphDef that parses), the name only breaking ties, as a file given as the model or a file lying in a folder
 * without {@code saved_model.pb}.
 */
public final class OtherModelFormats {
  /** How to make a SavedModel from a Keras model, in Keras 3 and in TF 2. */
  public static final String KERAS_EXPORT = "export a SavedModel folder from it in Python: model.export(\"DIR\") in"
      + " Keras 3, or tf.saved_model.save(model, \"DIR\") in TF 2";
  private static final byte[] ZIP = {'P', 'K', 3, 4};
  private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  private static final int HEAD = 1032;
  /** Files a SavedModel folder holds beside its model file, which are never models of another format. */
  private static final List<String> SAVED_MODEL_FILES = List.of("fingerprint.pb", "keras_metadata.pb");
  /** Largest file read whole to check whether it is a GraphDef: frozen MNIST graphs are far smaller. */
  private static final long MAX_GRAPH_BYTES = 256L << 20;

  private OtherModelFormats() {}

  /**
   * What {@code file} is, when it is a model of another format: one line naming the format and the fix
   * ({@code a Keras 3 model file (.keras), not a SavedModel: export ...}), else empty.
   */
  public static Optional<String> describe(Path file) {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(HEAD);
    } catch (IOException e) {
      return Optional.empty();
    }
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (startsWith(head, 0, ZIP) && (name.endsWith(".keras") || contains(head, "config.json")
        || contains(head, "metadata.json"))) {
      return Optional.of("a Keras model file (.keras, a zip archive), not a SavedModel: " + KERAS_EXPORT);
    }
    if (startsWith(head, 0, HDF5) || startsWith(head, 512, HDF5) || startsWith(head, 1024, HDF5)) {
      return Optional.of("a Keras HDF5 file (" + (name.endsWith(".hdf5") ? ".hdf5" : ".h5") + "), not a SavedModel:"
          + " load it with keras.models.load_model, then " + KERAS_EXPORT);
    }
    if (head.length >= 8 && new String(head, 4, 4, StandardCharsets.ISO_8859_1).equals("TFL3")) {
      return Optional.of("a TensorFlow Lite model (.tflite), which TensorFlow Java cannot run: evaluate the SavedModel"
          + " it was converted from");
    }
    if (name.endsWith(".onnx")) {
      return Optional.of("an ONNX model (.onnx), which TensorFlow cannot load: evaluate the SavedModel or Keras model"
          + " it was exported from, or convert it to a SavedModel first (for example with onnx2tf)");
    }
    if (isFrozenGraph(file)) {
      return Optional.of("a frozen TensorFlow graph (a GraphDef), not a SavedModel: it has no signatures; save the"
          + " model as a SavedModel in Python (tf.saved_model.save in TF 2,"
          + " tf.compat.v1.saved_model.simple_save in TF 1)");
    }
    return Optional.empty();
  }

  /**
   * The first model file of another format in {@code dir} (not in its sub-folders), with what it is:
   * {@code model.keras: a Keras model file ...}; empty when there is none.
   */
  public static Optional<String> describeFolder(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile)
          .filter(f -> !SAVED_MODEL_FILES.contains(String.valueOf(f.getFileName()))).sorted()
          .map(f -> describe(f).map(what -> f.getFileName() + " in it is " + what))
          .flatMap(Optional::stream).findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** A protocol buffer that parses as a GraphDef with nodes, and not as a SavedModel with a MetaGraphDef. */
  private static boolean isFrozenGraph(Path file) {
    try {
      if (Files.size(file) > MAX_GRAPH_BYTES) {
        return false;
      }
      byte[] bytes = Files.readAllBytes(file);
      try {
        if (SavedModel.parseFrom(bytes).getMetaGraphsCount() > 0) {
          return false;
        }
      } catch (IOException notASavedModel) {
        // maybe a GraphDef
      }
      GraphDef graph = GraphDef.parseFrom(bytes);
      return graph.getNodeCount() > 0 && graph.getNodeList().stream().allMatch(n -> !n.getOp().isEmpty());
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
    return bytes.length >= offset + prefix.length
        && Arrays.equals(bytes, offset, offset + prefix.length, prefix, 0, prefix.length);
  }

  private static boolean contains(byte[] bytes, String text) {
    return new String(bytes, StandardCharsets.ISO_8859_1).contains(text);
  }
}
