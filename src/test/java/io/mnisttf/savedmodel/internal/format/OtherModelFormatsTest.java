package io.mnisttf.savedmodel.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.testing.TestModel;

/**
 * Model files that are not SavedModels, given as the model or lying in the folder given: one line that names
 * the format and the fix. The files are made here with their formats' real signatures (a zip archive with
 * Keras' config.json, the HDF5 superblock, TensorFlow Lite's file identifier, a GraphDef).
 */
class OtherModelFormatsTest {
  @TempDir Path tmp;

  private Path keras(String name) throws IOException {
    Path file = tmp.resolve(name);
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      for (String entry : new String[] {"metadata.json", "config.json", "model.weights.h5"}) {
        zip.putNextEntry(new ZipEntry(entry));
        zip.write("{}".getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return file;
  }

  private Path withBytes(String name, byte[] head) throws IOException {
    Path file = tmp.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(head);
      out.write(new byte[2048]);
    }
    return file;
  }

  private static String refusal(Path model) {
    return assertThrows(SavedModelException.class, () -> SavedModelReader.read(model)).getMessage();
  }

  @Test
  void aKerasFileSaysHowToExportASavedModel() throws Exception {
    Path file = keras("model.keras");
    assertEquals(file + ": a Keras model file (.keras, a zip archive), not a SavedModel: export a SavedModel folder"
        + " from it in Python: model.export(\"DIR\") in Keras 3, or tf.saved_model.save(model, \"DIR\") in TF 2",
        refusal(file));
  }

  @Test
  void anHdf5FileIsAKerasHdf5File() throws Exception {
    Path file = withBytes("mnist.h5", new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'});
    assertEquals(file + ": a Keras HDF5 file (.h5), not a SavedModel: load it with keras.models.load_model, then"
        + " export a SavedModel folder from it in Python: model.export(\"DIR\") in Keras 3, or"
        + " tf.saved_model.save(model, \"DIR\") in TF 2", refusal(file));
  }

  @Test
  void tfliteOnnxAndFrozenGraphs() throws Exception {
    Path tflite = withBytes("model.tflite", new byte[] {0x1c, 0, 0, 0, 'T', 'F', 'L', '3'});
    assertEquals(tflite + ": a TensorFlow Lite model (.tflite), which TensorFlow Java cannot run: evaluate the"
        + " SavedModel it was converted from", refusal(tflite));
    Path onnx = withBytes("model.onnx", new byte[] {0x08, 0x07, 0x12, 0x07});
    assertEquals(onnx + ": an ONNX model (.onnx), which TensorFlow cannot load: evaluate the SavedModel or Keras"
        + " model it was exported from, or convert it to a SavedModel first (for example with onnx2tf)", refusal(onnx));
    Path frozen = tmp.resolve("frozen_graph.pb");
    Files.write(frozen, GraphDef.newBuilder().addNode(NodeDef.newBuilder().setName("x").setOp("Placeholder"))
        .addNode(NodeDef.newBuilder().setName("y").setOp("Softmax").addInput("x")).build().toByteArray());
    assertEquals(frozen + ": a frozen TensorFlow graph (a GraphDef), not a SavedModel: it has no signatures; save the"
        + " model as a SavedModel in Python (tf.saved_model.save in TF 2, tf.compat.v1.saved_model.simple_save in"
        + " TF 1)", refusal(frozen));
    Path text = withBytes("notes.txt", "hello".getBytes(StandardCharsets.UTF_8));
    assertEquals(text + ": is a file, not a SavedModel folder", refusal(text));
  }

  @Test
  void aFolderHoldingAKerasFileNamesIt() throws Exception {
    keras("model.keras");
    assertEquals(tmp + ": not a SavedModel folder: no saved_model.pb in it; model.keras in it is a Keras model file"
        + " (.keras, a zip archive), not a SavedModel: export a SavedModel folder from it in Python:"
        + " model.export(\"DIR\") in Keras 3, or tf.saved_model.save(model, \"DIR\") in TF 2", refusal(tmp));
  }

  @Test
  void theModelFileItselfStandsForItsFolder() throws Exception {
    Path dir = TestModel.linear().export(tmp.resolve("m"));
    assertEquals(dir, SavedModelReader.read(dir.resolve("saved_model.pb")).dir());
  }
}
