package io.mnisttf.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.mnisttf.savedmodel.WorkerLimits;
import io.mnisttf.testing.Fixtures;
import io.mnisttf.util.MoreFiles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server with real model workers and TensorFlow: every signature kind of {@link ServeTestModel} answered as
 * TF Serving answers it, the values checked against the model computed in plain Java, and inputs that would
 * abort TensorFlow refused with a 400 while the worker lives on; a Python-trained CNN. Faults: a killed worker and
 * a call over the time limit fail only their request (500, 504, with an error body) and the worker is replaced; a
 * broken new version is reported and the served one goes on; a new version is picked up while eight clients keep
 * predicting, with no failed request. One server for all (each worker start costs a JVM and TensorFlow).
 */
class ServeWorkerTest {
  private static final Duration POLL = Duration.ofMillis(50);
  private static Path dir;
  private static Path base;
  private static ModelServer server;
  private static final List<String> LOG = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("serve-worker-test");
    base = dir.resolve("model");
    ServeTestModel.export(base.resolve("1"));
    server = ModelServer.start(ServeConfig.defaults(base).withAddress("127.0.0.1", 0).withPollInterval(POLL)
        .withWorkers(1, WorkerLimits.DEFAULTS, Duration.ofSeconds(2)), line -> {
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
    MoreFiles.deleteRecursively(dir);
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
    // by number: the one served now (other tests publish new versions)
    long served = server.versions().latestVersion();
    Http.Answer columns = Http.post(url("v1/models/model/versions/" + served + ":predict"),
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
    Path pythonBase = dir.resolve("python");
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

  private static URI predict() {
    return server.uri().resolve("v1/models/model:predict");
  }

  private static String oneImage() {
    return "{\"instances\": [" + rows(image(1), false) + "]}";
  }

  private static List<Long> workerPids() {
    return workers().workerPids();
  }

  /** Waits, within a generous deadline, for version {@code version} to reach {@code state}. */
  private static void awaitState(long version, VersionSlot.State state, String what) throws InterruptedException {
    assertTrue(server.versions().awaitStatus(version, s -> s.state() == state, Duration.ofSeconds(60)),
        "timed out waiting for " + what + "; status " + server.versions().status(version));
  }

  /** Publishes a version folder as our exporter does: written beside the base, renamed into place. */
  private static Path publish(long version, boolean truncated) throws IOException {
    Path staging = ServeTestModel.export(dir.resolve("staging-" + version));
    if (truncated) {
      try (RandomAccessFile f = new RandomAccessFile(staging.resolve("saved_model.pb").toFile(), "rw")) {
        f.setLength(f.length() / 2);
      }
    }
    return Files.move(staging, base.resolve(Long.toString(version)), StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void aKilledWorkerFailsOnlyItsRequestAndIsReplaced() throws Exception {
    assertEquals(200, Http.post(predict(), oneImage()).status());
    long pid = workerPids().get(0);
    ProcessHandle worker = ProcessHandle.of(pid).orElseThrow();
    worker.destroyForcibly();
    worker.onExit().get();
    Http.Answer caught = Http.post(predict(), oneImage());
    assertEquals(500, caught.status(), caught.body());
    assertEquals("application/json", caught.contentType());
    assertTrue(caught.error().contains("the model worker was killed while running signature 'serving_default'"
        + " (SIGKILL"), caught.error());
    assertTrue(caught.error().endsWith("a new worker is starting"), caught.error());
    Http.Answer next = Http.post(predict(), oneImage());
    assertEquals(200, next.status(), "the next request waits for the new worker: " + next.body());
    assertNotEquals(List.of(pid), workerPids());
  }

  @Test
  void aCallOverTheTimeLimitGetsA504AndTheWorkerIsReplaced() {
    Http.Answer slow = Http.post(predict(), "{\"signature_name\": \"slow\", \"inputs\": {\"n\": 6000}}");
    assertEquals(504, slow.status(), slow.body());
    assertTrue(slow.error().contains("the model took longer than 2 s while running signature 'slow'; the worker"
        + " was stopped"), slow.error());
    Http.Answer small = Http.post(predict(), "{\"signature_name\": \"slow\", \"inputs\": {\"n\": 3}}");
    assertEquals(200, small.status(), small.body());
    assertEquals("{\n    \"outputs\": 27.0\n}", small.body());
  }

  @Test
  void aBrokenNewVersionIsReportedAndTheServedOneGoesOn() throws Exception {
    long served = server.versions().latestVersion();
    long version = served + 100;
    publish(version, true);
    awaitState(version, VersionSlot.State.END, "the broken version to fail");
    VersionSlot.Status failed = server.versions().status(version).orElseThrow();
    assertEquals(Code.INVALID_ARGUMENT, failed.error());
    assertTrue(failed.message().contains("saved_model.pb: truncated or not a SavedModel protocol buffer"),
        failed.message());
    assertEquals(served, server.versions().latestVersion());
    assertEquals(200, Http.post(predict(), oneImage()).status());
    Http.Answer status = Http.get(server.uri().resolve("v1/models/model/versions/" + version));
    assertTrue(status.body().contains("\"state\": \"END\"") && status.body().contains("INVALID_ARGUMENT"),
        status.body());
  }

  @Test
  void aNewVersionIsPickedUpWhileEightClientsPredictWithNoFailedRequest() throws Exception {
    long old = server.versions().latestVersion();
    long version = old + 1000;
    AtomicBoolean running = new AtomicBoolean(true);
    CountDownLatch underWay = new CountDownLatch(8);
    CountDownLatch afterSwitch = new CountDownLatch(32);
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    String body = oneImage();
    List<CompletableFuture<Void>> clients = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      clients.add(CompletableFuture.runAsync(() -> {
        while (running.get()) {
          boolean switched = server.versions().latestVersion() == version;
          Http.Answer a = Http.post(predict(), body);
          if (a.status() != 200) {
            failures.add(a.status() + " " + a.body());
          } else if (switched) {
            afterSwitch.countDown();
          }
          underWay.countDown();
        }
      }, Executors.newSingleThreadExecutor()));
    }
    underWay.await(); // every client has had an answer from the old version
    publish(version, false);
    awaitState(old, VersionSlot.State.END, "the old version to be unloaded");
    afterSwitch.await(); // and the new one has answered
    running.set(false);
    CompletableFuture.allOf(clients.toArray(new CompletableFuture[0])).get();
    assertEquals(List.of(), failures, "no request failed during the switch");
    assertEquals(version, server.versions().latestVersion());
  }
}
