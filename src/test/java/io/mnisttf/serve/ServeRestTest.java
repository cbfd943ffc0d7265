package io.mnisttf.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.util.MoreFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of the REST API over real HTTP on loopback, against versions that need no TensorFlow
 * ({@link FakeServable}): TF Serving's answers, status codes and error bodies, the page, the body limit, many
 * clients at once, and a stop that finishes the requests in flight.
 */
class ServeRestTest {
  private static Path base;
  private static ModelServer server;
  private static final Map<Long, FakeServable> LOADED = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    base = Files.createTempDirectory("serve-rest-test");
    Files.createDirectories(base.resolve("m").resolve("1"));
    Files.createDirectories(base.resolve("m").resolve("2"));
    Files.writeString(base.resolve("m").resolve("notes.txt"), "not a version");
    server = start(ServeConfig.defaults(base.resolve("m")).withLabels(Map.of("stable", 2L, "old", 1L))
        .withMaxBodyBytes(4096));
  }

  static ModelServer start(ServeConfig config) throws Exception {
    return ModelServer.start(config.withAddress("127.0.0.1", 0), (dir, version) -> {
      FakeServable s = new FakeServable(version);
      LOADED.put(version, s);
      return s;
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

  private static void assertError(int status, String message, Http.Answer a) {
    assertEquals(status, a.status(), a.body());
    assertEquals("application/json", a.contentType());
    assertEquals(message, a.error());
  }

  @Test
  void errorBodiesQuoteTheMessageAsJson() {
    assertEquals("{ \"error\": \"say \\\"hi\\\"\\n\\u0001\" }",
        new String(RestApi.error(ServingException.invalidArgument("say \"hi\"\n\u0001")).body(),
            java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void statusOfAllVersionsOfOneAndByLabel() {
    String available2 = "{\n \"model_version_status\": [\n  {\n   \"version\": \"2\",\n   \"state\": \"AVAILABLE\",\n"
        + "   \"status\": {\n    \"error_code\": \"OK\",\n    \"error_message\": \"\"\n   }\n  }\n ]\n}\n";
    Http.Answer all = Http.get(url("v1/models/m"));
    assertEquals(200, all.status());
    assertEquals("application/json", all.contentType());
    assertEquals(available2, all.body(), "only the latest version is loaded, as TF Serving's latest policy");
    assertEquals(available2, Http.get(url("v1/models/m/versions/2")).body());
    assertEquals(available2, Http.get(url("v1/models/m/labels/stable")).body(), "a label does not narrow the status");
    assertError(404, "Could not find version 1 of model m", Http.get(url("v1/models/m/versions/1")));
    assertError(404, "Could not find any versions of model other", Http.get(url("v1/models/other")));
    assertError(400, "Missing model name in request.", Http.get(url("v1/models")));
  }

  @Test
  void metadataHasTheModelSpecAndEverySignatureDef() {
    Http.Answer meta = Http.get(url("v1/models/m/metadata"));
    assertEquals(200, meta.status(), meta.body());
    assertTrue(meta.body().startsWith("{\n\"model_spec\":{\n \"name\": \"m\",\n \"signature_name\": \"\",\n"
        + " \"version\": \"2\"\n}\n,\n\"metadata\": {\"signature_def\": {\n \"signature_def\": {\n  \"serving_default\": {\n"
        + "   \"inputs\": {\n    \"x\": {\n     \"dtype\": \"DT_FLOAT\","), meta.body());
    assertTrue(meta.body().endsWith("   \"defaults\": {}\n  }\n }\n}\n}\n}\n"), meta.body());
    var signatures = meta.json().getAsJsonObject().getAsJsonObject("metadata").getAsJsonObject("signature_def")
        .getAsJsonObject("signature_def");
    assertEquals(List.of("serving_default", "classify", "broken", "crash", "hold"),
        new ArrayList<>(signatures.keySet()));
    assertEquals(200, Http.get(url("v1/models/m/versions/2/metadata")).status());
    assertEquals(200, Http.get(url("v1/models/m/labels/stable/metadata")).status());
    assertError(404, "Servable not found for request: Specific(m, 1)", Http.get(url("v1/models/m/versions/1/metadata")));
    assertError(404, "Servable not found for request: Latest(x)", Http.get(url("v1/models/x/metadata")));
  }

  @Test
  void predictByLatestVersionAndLabel() {
    String rows = "{\"instances\": [[1, 2], [3.5, 4]]}";
    String answer = "{\n    \"predictions\": [\n        {\n            \"sum\": 3.0,\n            \"version\": 2\n"
        + "        },\n        {\n            \"sum\": 7.5,\n            \"version\": 2\n        }\n    ]\n}";
    assertEquals(answer, Http.post(url("v1/models/m:predict"), rows).body());
    assertEquals(answer, Http.post(url("v1/models/m/versions/2:predict"), rows).body());
    assertEquals(answer, Http.post(url("v1/models/m/labels/stable:predict"), rows).body());
    assertEquals(answer, Http.post(url("V1/MODELS/m:predict"), rows).body(),
        "paths match case-insensitively");
    Http.Answer columns = Http.post(url("v1/models/m:predict"), "{\"inputs\": {\"x\": [[1, 2]]}}");
    assertEquals("{\n    \"outputs\": {\n        \"sum\": [\n            3.0\n        ],\n        \"version\": [\n"
        + "            2\n        ]\n    }\n}", columns.body());
  }

  @Test
  void unknownModelsVersionsLabelsAndSignaturesAreTfServingsErrors() {
    String rows = "{\"instances\": [[1, 2]]}";
    assertError(404, "Servable not found for request: Latest(half)", Http.post(url("v1/models/half:predict"),
        "{\"instances\": [1.0, 5.0]}"));
    assertError(404, "Servable not found for request: Specific(m, 1)", Http.post(url("v1/models/m/versions/1:predict"),
        rows));
    assertError(404, "Servable not found for request: Specific(m, 1)", Http.post(url("v1/models/m/labels/old:predict"),
        rows));
    assertError(400, "Unrecognized servable version label: nope", Http.post(url("v1/models/m/labels/nope:predict"),
        rows));
    assertError(400, "Serving signature name: \"nope\" not found in signature def",
        Http.post(url("v1/models/m:predict"), "{\"signature_name\": \"nope\", \"instances\": [[1, 2]]}"));
    assertError(400, "Failed to convert version: 99999999999999999999 to numeric.",
        Http.post(url("v1/models/m/versions/99999999999999999999:predict"), rows));
    assertEquals("JSON Parse error: Invalid value. at offset: 0", Http.post(url("v1/models/nope:predict"),
        "instances = [1]").error(), "the JSON is read before the model is looked up");
  }

  @Test
  void malformedRequestsAndOtherPaths() {
    assertError(400, "Malformed request: GET /v1/models/m:predict", Http.get(url("v1/models/m:predict")));
    assertError(400, "Malformed request: POST /v1/models/m/metadata", Http.post(url("v1/models/m/metadata"), "{}"));
    assertError(400, "Malformed request: POST /v1/models/m:PREDICT", Http.post(url("v1/models/m:PREDICT"), "{}"));
    assertError(400, "Malformed request: POST /v1/models/m/version/1:predict",
        Http.post(url("v1/models/m/version/1:predict"), "{}"));
    assertError(400, "Malformed request: GET /v1/foo", Http.get(url("v1/foo")));
    assertError(400, "Malformed request: DELETE /v1/models/m", Http.send(HttpRequest.newBuilder(url("v1/models/m"))
        .DELETE()));
    Http.Answer other = Http.get(url("favicon.ico"));
    assertEquals(404, other.status());
  }

  @Test
  void classifyAnswersLabelsAndScoresPerExample() {
    Http.Answer a = Http.post(url("v1/models/m:classify"), "{\"signature_name\": \"classify\", \"examples\":"
        + " [{\"f\": [1, 2], \"s\": \"text\", \"b\": {\"b64\": \"AA==\"}}, {\"t\": true}]}");
    assertEquals("{\n    \"results\": [[[\"cat\", 0.25], [\"dog\", 0.75]], [[\"cat\", 0.25], [\"dog\", 0.75]]\n    ]\n}",
        a.body());
    assertError(400, "No signature was found with the name: nope", Http.post(url("v1/models/m:classify"),
        "{\"signature_name\": \"nope\", \"examples\": [{}]}"));
    assertError(400, "Expected classification signature method_name to be tensorflow/serving/classify. Was:"
        + " tensorflow/serving/predict", Http.post(url("v1/models/m:classify"), "{\"examples\": [{}]}"));
    assertError(400, "Expected regression signature method_name to be tensorflow/serving/regress. Was:"
        + " tensorflow/serving/classify", Http.post(url("v1/models/m:regress"),
            "{\"signature_name\": \"classify\", \"examples\": [{}]}"));
    assertError(400, "JSON Value: {\n    \"examples\": []\n} 'examples' value is an empty array",
        Http.post(url("v1/models/m:classify"), "{\"examples\": []}"));
    assertError(400, "JSON Value: {\n    \"x\": 1\n} When method is classify, key 'examples' is expected and was not"
        + " found", Http.post(url("v1/models/m:classify"), "{\"x\": 1}"));
    assertError(400, "Unexpected element type in feature: f expecting type: int64",
        Http.post(url("v1/models/m:classify"), "{\"examples\": [{\"f\": [1, 2.5]}]}"));
    assertError(400, "Example must be JSON object but got JSON Array",
        Http.post(url("v1/models/m:classify"), "{\"examples\": [[1]]}"));
  }

  @Test
  void aFailingModelCallIsA500WithAnErrorBodyAndTheServerGoesOn() {
    Http.Answer dead = Http.post(url("v1/models/m:predict"), "{\"signature_name\": \"broken\", \"instances\": [1]}");
    assertError(500, "m/1: the model worker was killed while running signature 'broken' (SIGKILL); a new worker is"
        + " starting", dead);
    assertEquals(200, Http.post(url("v1/models/m:predict"), "{\"instances\": [[1, 2]]}").status());
    assertError(500, "internal error: a bug in the servable", Http.post(url("v1/models/m:predict"),
        "{\"signature_name\": \"crash\", \"instances\": [1]}"));
  }

  @Test
  void bodiesOverTheLimitAreRefusedUnread() {
    String big = "{\"instances\": [" + "[1, 2], ".repeat(600) + "[1, 2]]}";
    Http.Answer declared = Http.post(url("v1/models/m:predict"), big);
    assertError(413, "request body of " + big.length() + " bytes is over the limit of 4096 bytes", declared);
    Http.Answer chunked = Http.send(HttpRequest.newBuilder(url("v1/models/m:predict")).POST(
        HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))));
    assertEquals(413, chunked.status(), "without Content-Length, reading stops at the limit");
    assertEquals(200, Http.post(url("v1/models/m:predict"), "{\"instances\": [[1, 2]]}").status());
  }

  @Test
  void thePageAndItsFilesAreServed() {
    Http.Answer page = Http.get(url(""));
    assertEquals(200, page.status());
    assertEquals("text/html; charset=utf-8", page.contentType());
    assertTrue(page.body().contains("<canvas id=\"pad\""), page.body());
    for (String file : List.of("app.js", "style.css", "index.html")) {
      assertEquals(200, Http.get(url(file)).status(), file);
    }
    assertTrue(Http.get(url("app.js")).body().contains(":predict"));
    assertEquals("{\"model\": \"m\"}\n", Http.get(url("config.json")).body());
  }

  @Test
  void sixteenClientsAtOnceGetNoError() throws Exception {
    List<byte[]> bodies = List.of("{\"instances\": [[1, 2]]}".getBytes(), "{\"inputs\": [[3, 4], [5, 6]]}".getBytes());
    LoadBenchmark.Report r = LoadBenchmark.run(url("v1/models/m:predict"), bodies, 16, 40);
    assertEquals(0, r.errors(), r.firstError());
    assertEquals(640, r.requests());
  }

  @Test
  void stoppingFinishesTheRequestsInFlightAndRefusesNewOnes() throws Exception {
    Path other = base.resolve("drain");
    Files.createDirectories(other.resolve("5"));
    ModelServer draining = start(ServeConfig.defaults(other));
    FakeServable version = LOADED.get(5L);
    CompletableFuture<Http.Answer> held = CompletableFuture.supplyAsync(() -> Http.post(
        draining.uri().resolve("v1/models/drain:predict"), "{\"signature_name\": \"hold\", \"instances\": [1.5]}"));
    version.entered.await();
    CompletableFuture<Void> stopping = CompletableFuture.runAsync(draining::close);
    draining.awaitDraining();
    assertError(503, "the server is shutting down", Http.get(draining.uri().resolve("v1/models/drain")));
    assertTrue(!stopping.isDone(), "the server waits for the request in flight");
    version.release.countDown();
    Http.Answer answer = held.get();
    assertEquals(200, answer.status(), answer.body());
    assertEquals("{\n    \"predictions\": [1.5\n    ]\n}", answer.body());
    stopping.get();
    assertTrue(version.closed, "the version is closed after its last request");
  }
}
