package io.mnisttf.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.mnisttf.testing.Fixtures;
import io.mnisttf.util.MoreFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server with real model workers and TensorFlow: every signature kind of {@link ServeTestModel} answered as
 * TF Serving answers it, the values checked against the model computed in plain Java, and inputs that would
 * abort TensorFlow refused with a 400 while the worker lives on; then a Python-trained CNN.
 */
class ServeWorkerTest {
  private static Path base;
  private static ModelServer server;
  private static final List<String> LOG = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    base = Files.createTempDirectory("serve-worker-test");
    ServeTestModel.export(base.resolve("model").resolve("1"));
    server = ModelServer.start(ServeConfig.defaults(base.resolve("model")).withAddress("127.0.0.1", 0),
        line -> {
          synchronized (LOG) {
            LOG.add(line);
          }
        }, line -> { });
  }

  @AfterAll
  static void stop() throws IOException {
    if (server != null) {
      server.close();
    }
    MoreFiles.deleteRecursively(base);
  }

  private static URI url(String path) {
    return server.uri().resolve(path);
  }

  /** Image {@code k} of a made-up set: pixel values that differ from image to image. */
  static float[] image(int k) {
    float[] pixels = new float[784];
    for (int p = 0; p < 784; p++) {
      pixels[p] = ((p * 7 + k * 13) % 11) / 10f;
    }
    return pixels;
  }

  static String rows(float[] pixels, boolean withChannel) {
    StringBuilder s = new StringBuilder("[");
    for (int r = 0; r < 28; r++) {
      s.append(r == 0 ? "[" : ", [");
      for (int c = 0; c < 28; c++) {
        String v = Float.toString(pixels[r * 28 + c]);
        s.append(c == 0 ? "" : ", ").append(withChannel ? "[" + v + "]" : v);
      }
      s.append(']');
    }
    return s.append(']').toString();
  }

  static String flat(float[] pixels) {
    StringBuilder s = new StringBuilder("[");
    for (int p = 0; p < 784; p++) {
      s.append(p == 0 ? "" : ", ").append(pixels[p]);
    }
    return s.append(']').toString();
  }

  private static void assertProbabilities(float[] pixels, JsonArray served) {
    double[] expected = ServeTestModel.probabilities(pixels);
    assertEquals(10, served.size());
    for (int c = 0; c < 10; c++) {
      assertEquals(expected[c], served.get(c).getAsDouble(), 1e-5, "class " + c);
    }
  }

  private static int argmax(double[] p) {
    int best = 0;
    for (int c = 1; c < p.length; c++) {
      best = p[c] > p[best] ? c : best;
    }
    return best;
  }

  @Test
  void predictsRowsAndColumnsAsTheModelComputes() {
    Http.Answer rows = Http.post(url("v1/models/model:predict"),
        "{\"instances\": [" + rows(image(0), false) + ", " + rows(image(1), false) + "]}");
    assertEquals(200, rows.status(), rows.body());
    assertEquals("application/json", rows.contentType());
    JsonArray predictions = rows.json().getAsJsonObject().getAsJsonArray("predictions");
    assertEquals(2, predictions.size());
    for (int k = 0; k < 2; k++) {
      JsonObject p = predictions.get(k).getAsJsonObject();
      assertProbabilities(image(k), p.getAsJsonArray("probabilities"));
      assertEquals(argmax(ServeTestModel.probabilities(image(k))), p.get("classes").getAsInt());
    }
    Http.Answer columns = Http.post(url("v1/models/model/versions/1:predict"),
        "{\"signature_name\": \"serving_default\", \"inputs\": {\"images\": [" + rows(image(2), false) + "]}}");
    assertEquals(200, columns.status(), columns.body());
    JsonObject outputs = columns.json().getAsJsonObject().getAsJsonObject("outputs");
    assertProbabilities(image(2), outputs.getAsJsonArray("probabilities").get(0).getAsJsonArray());
    assertEquals(1, outputs.getAsJsonArray("classes").size());
  }

  @Test
  void aWrongRankForAConvolutionIsRefusedBeforeTensorFlowAndTheWorkerLivesOn() {
    WorkerServable servable = workers();
    List<Long> before = servable.workerPids();
    Http.Answer rank3 = Http.post(url("v1/models/model:predict"),
        "{\"signature_name\": \"cnn\", \"instances\": [" + rows(image(3), false) + "]}");
    assertEquals(400, rank3.status(), rank3.body());
    assertEquals("input 'images4' has shape [1,28,28]; the signature expects [-1,28,28,1]", rank3.error());
    Http.Answer ok = Http.post(url("v1/models/model:predict"),
        "{\"signature_name\": \"cnn\", \"instances\": [" + rows(image(3), true) + "]}");
    assertEquals(200, ok.status(), ok.body());
    assertProbabilities(image(3), ok.json().getAsJsonObject().getAsJsonArray("predictions").get(0).getAsJsonArray());
    Http.Answer flat = Http.post(url("v1/models/model:predict"), "{\"instances\": [" + flat(image(3)) + "]}");
    assertEquals(400, flat.status());
    assertEquals("input 'images' has shape [1,784]; the signature expects [-1,28,28]", flat.error());
    assertEquals(before, servable.workerPids(), "the same worker served every request");
  }

  private static WorkerServable workers() {
    try (ModelVersions.Lease lease = server.versions().acquire(null)) {
      return (WorkerServable) lease.servable();
    } catch (ServingException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void classifiesAndRegressesTfExamples() {
    float[] pixels = image(4);
    Http.Answer classify = Http.post(url("v1/models/model:classify"),
        "{\"signature_name\": \"classify\", \"examples\": [{\"x\": " + flat(pixels) + "}]}");
    assertEquals(200, classify.status(), classify.body());
    JsonArray results = classify.json().getAsJsonObject().getAsJsonArray("results");
    assertEquals(1, results.size());
    double[] expected = ServeTestModel.probabilities(pixels);
    JsonArray pairs = results.get(0).getAsJsonArray();
    for (int c = 0; c < 10; c++) {
      assertEquals(Integer.toString(c), pairs.get(c).getAsJsonArray().get(0).getAsString());
      assertEquals(expected[c], pairs.get(c).getAsJsonArray().get(1).getAsDouble(), 1e-5);
    }
    Http.Answer withContext = Http.post(url("v1/models/model:classify"),
        "{\"signature_name\": \"classify\", \"context\": {\"x\": " + flat(pixels) + "}, \"examples\": [{}, {}]}");
    assertEquals(200, withContext.status(), withContext.body());
    JsonArray merged = withContext.json().getAsJsonObject().getAsJsonArray("results");
    assertEquals(2, merged.size(), "two examples, each with the context's feature");
    for (int c = 0; c < 10; c++) {
      assertEquals(expected[c], merged.get(1).getAsJsonArray().get(c).getAsJsonArray().get(1).getAsDouble(), 1e-5);
    }

    Http.Answer regress = Http.post(url("v1/models/model:regress"),
        "{\"signature_name\": \"regress\", \"examples\": [{\"y\": 1.5}, {\"y\": [-2.0]}]}");
    assertEquals(200, regress.status(), regress.body());
    assertEquals("{\n    \"results\": [4.0, -3.0]\n}", regress.body());

    Http.Answer notClassify = Http.post(url("v1/models/model:classify"), "{\"examples\": [{\"x\": 1.0}]}");
    assertEquals(400, notClassify.status());
    assertEquals("Expected classification signature method_name to be tensorflow/serving/classify. Was:"
        + " tensorflow/serving/predict", notClassify.error());
    Http.Answer wholeNumbers = Http.post(url("v1/models/model:regress"),
        "{\"signature_name\": \"regress\", \"examples\": [{\"y\": 1}]}");
    assertEquals(400, wholeNumbers.status(), "a whole number is an int64 feature, as in TF Serving");
    assertTrue(wholeNumbers.error().contains("float"), wholeNumbers.error());
  }

  @Test
  void stringsGoInAsTextOrBase64AndBytesOutputsComeBackInBase64() {
    Http.Answer a = Http.post(url("v1/models/model:predict"),
        "{\"signature_name\": \"strings\", \"instances\": [{\"b64\": \"aGVsbG8=\"}, \"w\u00f6rld\"]}");
    assertEquals(200, a.status(), a.body());
    JsonArray p = a.json().getAsJsonObject().getAsJsonArray("predictions");
    assertEquals("aGVsbG8=", p.get(0).getAsJsonObject().getAsJsonObject("echo_bytes").get("b64").getAsString());
    assertEquals(5, p.get(0).getAsJsonObject().get("length").getAsInt());
    assertEquals(Base64.getEncoder().encodeToString("w\u00f6rld".getBytes(StandardCharsets.UTF_8)),
        p.get(1).getAsJsonObject().getAsJsonObject("echo_bytes").get("b64").getAsString());
    assertEquals(6, p.get(1).getAsJsonObject().get("length").getAsInt(), "bytes, not characters");
  }

  @Test
  void namedInputsInRowsAndColumns() {
    Http.Answer rows = Http.post(url("v1/models/model:predict"), "{\"signature_name\": \"multi\", \"instances\":"
        + " [{\"a\": [1.0, 2.0], \"b\": 3}, {\"b\": -1, \"a\": [0.5, 0.25]}]}");
    assertEquals(200, rows.status(), rows.body());
    assertEquals("{\n    \"predictions\": [6.0, -0.25\n    ]\n}", rows.body());
    Http.Answer columns = Http.post(url("v1/models/model:predict"),
        "{\"signature_name\": \"multi\", \"inputs\": {\"a\": [[1, 2], [3, 4]], \"b\": [10, 20]}}");
    assertEquals(200, columns.status(), columns.body());
    assertEquals("{\n    \"outputs\": [\n        13.0,\n        27.0\n    ]\n}", columns.body());
    Http.Answer mixed = Http.post(url("v1/models/model:predict"), "{\"signature_name\": \"multi\", \"instances\":"
        + " [{\"a\": [1.0, 2.0], \"b\": 3}, {\"a\": [1.0], \"b\": 3}]}");
    assertEquals(400, mixed.status());
    assertEquals("Failed to process element: 1 key: a of 'instances' list. Error: INVALID_ARGUMENT: Expecting tensor"
        + " size: 2 but got: 1", mixed.error());
    Http.Answer type = Http.post(url("v1/models/model:predict"), "{\"signature_name\": \"multi\", \"inputs\":"
        + " {\"a\": [[1, 2]], \"b\": [1.5]}}");
    assertEquals(400, type.status());
    assertEquals("JSON Value: 1.5 Type: Number is not of expected type: int64", type.error());
    Http.Answer batch = Http.post(url("v1/models/model:predict"), "{\"signature_name\": \"multi\", \"inputs\":"
        + " {\"a\": [[1, 2], [3, 4]], \"b\": [1, 2, 3]}}");
    assertEquals(400, batch.status(), "TensorFlow's own error for inputs of different batch sizes");
    assertTrue(batch.error().contains("Incompatible shapes"), batch.error());
  }

  @Test
  void aPythonTrainedCnnIsServedAndItsRank4InputIsGuarded() throws Exception {
    Path fixture = Fixtures.pythonModel("keras2-cnn-logits-tf20");
    Path pythonBase = base.resolve("python");
    Files.createDirectories(pythonBase);
    Files.createSymbolicLink(pythonBase.resolve("7"), fixture.toAbsolutePath());
    try (ModelServer python = ModelServer.start(ServeConfig.defaults(pythonBase).withName("cnn")
        .withAddress("127.0.0.1", 0), line -> { }, line -> { })) {
      Http.Answer meta = Http.get(python.uri().resolve("v1/models/cnn/metadata"));
      assertEquals(200, meta.status(), meta.body());
      JsonObject signature = meta.json().getAsJsonObject().getAsJsonObject("metadata").getAsJsonObject("signature_def")
          .getAsJsonObject("signature_def").getAsJsonObject("serving_default");
      String input = signature.getAsJsonObject("inputs").keySet().iterator().next();
      Http.Answer ok = Http.post(python.uri().resolve("v1/models/cnn:predict"),
          "{\"instances\": [" + rows(image(5), true) + "]}");
      assertEquals(200, ok.status(), ok.body());
      Http.Answer rank3 = Http.post(python.uri().resolve("v1/models/cnn:predict"),
          "{\"instances\": [" + rows(image(5), false) + "]}");
      assertEquals(400, rank3.status(), rank3.body());
      assertEquals(String.format(Locale.ROOT, "input '%s' has shape [1,28,28]; the signature expects [-1,28,28,1]",
          input), rank3.error());
      assertEquals(200, Http.post(python.uri().resolve("v1/models/cnn/versions/7:predict"),
          "{\"instances\": [" + rows(image(6), true) + "]}").status());
    }
  }
}
