package io.mnisttf.savedmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.mnisttf.savedmodel.internal.runtime.InProcessClassifier;
import io.mnisttf.testing.TestData;

/**
 * Exports as people make them for TF Serving and Keras, made in Python by {@code src/python/fixtures/} (each
 * README states the accuracy and loss measured in TensorFlow 2.21 on the 10 000 test images, and on the first
 * 1 000, which these tests score to stay fast; {@code src/python/check} compares all 10 000): TF Serving's MNIST
 * example (a classify signature over tf.Example beside a predict signature), image-bytes models that decode PNG,
 * RGB images or JPEG inside map_fn, Keras files, and a Keras 3 export from the JAX backend. Each scores what
 * Python scores, or is refused with one line that names the cause.
 */
class RealWorldExportsTest {
  private static final int FIRST = 1000;
  /**
   * A row of a fixture README's table, all test images then the first 1 000:
   * {@code | <fed as> | 0.9140 (9140/10000) | 0.3062 | 0.9060 (906/1000) | 0.3180 |}.
   */
  private static final Pattern ROW = Pattern.compile("\\| ([^|]*) \\| [01]\\.[0-9]{4} \\([0-9]+/10000\\) \\| [0-9.]+ \\|"
      + " ([01]\\.[0-9]{4}) \\([0-9]+/" + FIRST + "\\) \\| ([0-9.]+) \\|");

  /**
   * {accuracy, loss} on the first 1 000 test images, from the first row of the fixture's README whose "fed as"
   * cell starts with {@code fedAs}.
   */
  private static double[] stated(Path fixture, String fedAs) throws Exception {
    Matcher m = ROW.matcher(Files.readString(fixture.resolve("README.md")));
    while (m.find()) {
      if (m.group(1).startsWith(fedAs)) {
        return new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))};
      }
    }
    throw new AssertionError("no row '" + fedAs + "' in " + fixture.resolve("README.md"));
  }

  private static Evaluation evaluate(InProcessClassifier c) throws Exception {
    return SavedModelEvaluator.evaluate(c, TestData.test().first(FIRST));
  }

  private static Evaluation evaluate(Path fixture, ClassifierOptions options) throws Exception {
    try (InProcessClassifier c = InProcessClassifier.open(fixture, options)) {
      return evaluate(c);
    }
  }

  private static String refusal(Path model) {
    var e = assertThrows(SavedModelException.class, () -> InProcessClassifier.open(model, ClassifierOptions.DEFAULTS).close());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e.getMessage();
  }

  /** It scored 0.0980 (class 0 for every image) when the sorted classify scores were read as per-class. */
  @Test
  void tfServingsMnistExampleScoresWhatItsPredictSignatureScores() throws Exception {
    Path fixture = Fixtures.pythonModel("tf1-serving-example-classify");
    double[] predict = stated(fixture, "`predict_images`");
    try (InProcessClassifier c = InProcessClassifier.open(fixture, ClassifierOptions.DEFAULTS)) {
      Evaluation e = evaluate(c);
      assertEquals("predict_images", c.signature().key());
      assertEquals(predict[0], e.accuracy(), 1e-9);
      assertEquals(predict[1], e.loss(), 1e-4);
    }
    Evaluation classify = evaluate(fixture, ClassifierOptions.DEFAULTS.withSignatureKey("serving_default"));
    assertEquals(predict[0], classify.accuracy(), 1e-9);
    assertEquals(stated(fixture, "`serving_default` (classify)")[1], classify.loss(), 1e-4);
  }

  /** They were refused: "input 'image_bytes' is DT_STRING, but the graph does not parse it as tf.Example". */
  @ParameterizedTest
  @ValueSource(strings = {"image-bytes-png-map-fn", "image-bytes-decode-image-rgb"})
  void imageBytesModelsScoreTheirPythonAccuracy(String name) throws Exception {
    Path fixture = Fixtures.pythonModel(name);
    double[] png = stated(fixture, "`");
    try (InProcessClassifier c = InProcessClassifier.open(fixture, ClassifierOptions.DEFAULTS)) {
      assertTrue(c.signature().describeFeed().startsWith("PNG bytes"), c.signature().describeFeed());
      Evaluation e = evaluate(c);
      assertEquals(png[0], e.accuracy(), 1e-9);
      assertEquals(png[1], e.loss(), 1e-4);
    }
  }

  /** JPEG is lossy: Java's encoder (quality 1.0) is not Pillow's; within 5 images in 1 000 of the exact pixels. */
  @Test
  void aJpegModelScoresNearItsLosslessAccuracy() throws Exception {
    Path fixture = Fixtures.pythonModel("image-bytes-jpeg");
    try (InProcessClassifier c = InProcessClassifier.open(fixture, ClassifierOptions.DEFAULTS)) {
      assertEquals("JPEG bytes, 1 channel (28x28 images), decoded by DecodeJpeg", c.signature().describeFeed()
          .replaceAll(" '.*'$", ""));
      assertEquals(stated(fixture, "(reference)")[0], evaluate(c).accuracy(), 0.005);
    }
  }

  @Test
  void kerasFilesGetTheFormatAndTheFix() {
    Path folder = Fixtures.pythonModel("keras-files");
    assertTrue(refusal(folder.resolve("mnist-mlp.keras")).endsWith("mnist-mlp.keras: a Keras model file (.keras, a"
        + " zip archive), not a SavedModel: export a SavedModel folder from it in Python: model.export(\"DIR\") in"
        + " Keras 3, or tf.saved_model.save(model, \"DIR\") in TF 2"));
    assertTrue(refusal(folder.resolve("mnist-mlp.h5")).contains("mnist-mlp.h5: a Keras HDF5 file (.h5), not a"
        + " SavedModel: load it with keras.models.load_model, then export a SavedModel folder"));
    assertTrue(refusal(folder).contains("keras-files: not a SavedModel folder: no saved_model.pb in it;"
        + " mnist-mlp.h5 in it is a Keras HDF5 file"));
  }

  /** It failed at its first call with "Cannot deserialize computation", while inspect said 2.18 loads it. */
  @Test
  void aJaxExportNewerThanTensorFlow218IsRefusedWithItsVersions() throws Exception {
    Path fixture = Fixtures.pythonModel("keras3-jax-export");
    assertTrue(refusal(fixture).endsWith("keras3-jax-export: its computation is a JAX/StableHLO module"
        + " (XlaCallModule version 10, StableHLO v1.15.0, for CPU, in __inference_internal_grad_fn_157/jax2tf_vjp/"
        + "XlaCallModule) that TensorFlow 2.18 cannot run (XlaCallModule version 10, 2.18 runs up to 9; StableHLO"
        + " v1.15.0, 2.18 reads up to v1.8): a newer JAX made it; export the model from Keras' TensorFlow backend"
        + " instead (KERAS_BACKEND=tensorflow, then model.export(\"DIR\"))"));
    Inspection inspection = ModelInspector.inspect(fixture);
    assertFalse(inspection.tensorflowVersions().loads("2.18"), inspection.tensorflowVersions().summary());
    assertTrue(inspection.evaluateProblem().contains("cannot run"), inspection.evaluateProblem());
  }
}
