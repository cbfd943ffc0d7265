package io.mnisttf.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions handled as TF Serving handles them, with TensorFlow-free versions: a new version folder is loaded while
 * the old one serves and replaces it with no failed request; the old one is closed only after its requests; a
 * version that fails to load is reported and never replaces the served one, and is tried again when its folder
 * changes. The server's own poll interval (20 ms here) is the only thing waited for.
 */
class ServeVersionsTest {
  private static final Duration POLL = Duration.ofMillis(20);

  @TempDir Path dir;

  private final Map<Long, FakeServable> loaded = new ConcurrentHashMap<>();
  private final Set<Long> broken = ConcurrentHashMap.newKeySet();
  private final List<String> log = new ArrayList<>();

  private ModelServer start(Path base) throws Exception {
    return ModelServer.start(ServeConfig.defaults(base).withAddress("127.0.0.1", 0).withPollInterval(POLL),
        (versionDir, version) -> {
          if (broken.contains(version) && !Files.exists(versionDir.resolve("fixed"))) {
            throw ServingException.invalidArgument(versionDir + ": truncated or not a SavedModel protocol buffer");
          }
          FakeServable s = new FakeServable(version);
          loaded.put(version, s);
          return s;
        }, line -> {
          synchronized (log) {
            log.add(line);
          }
        });
  }

  /** Waits, within a generous deadline, for version {@code version} to reach {@code state}. */
  private static void awaitState(ModelServer server, long version, VersionSlot.State state, String what)
      throws InterruptedException {
    assertTrue(server.versions().awaitStatus(version, s -> s.state() == state, Duration.ofSeconds(30)),
        "timed out waiting for " + what + "; status " + server.versions().status(version));
  }

  private static VersionSlot.State state(ModelServer server, long version) {
    return server.versions().status(version).map(VersionSlot.Status::state).orElse(null);
  }

  private static long versionAnswering(ModelServer server) {
    Http.Answer a = Http.post(server.uri().resolve("v1/models/m:predict"), "{\"instances\": [[1, 2]]}");
    assertEquals(200, a.status(), a.body());
    return a.json().getAsJsonObject().getAsJsonArray("predictions").get(0).getAsJsonObject().get("version").getAsLong();
  }

  @Test
  void awaitingAStatusWakesOnTheChangeAndGivesUpAtItsTimeout() throws Exception {
    Path base = Files.createDirectories(dir.resolve("await").resolve("m").resolve("1")).getParent();
    try (ModelServer server = start(base)) {
      ModelVersions versions = server.versions();
      long before = System.nanoTime();
      assertFalse(versions.awaitStatus(2, s -> true, Duration.ofMillis(200)), "no version 2 yet");
      assertTrue(System.nanoTime() - before >= Duration.ofMillis(200).toNanos(), "waited out its timeout");
      assertTrue(versions.awaitStatus(1, s -> s.state() == VersionSlot.State.AVAILABLE, Duration.ZERO),
          "a status that already holds needs no wait");
      Files.createDirectories(base.resolve("2"));
      assertTrue(versions.awaitStatus(2, s -> s.state() == VersionSlot.State.AVAILABLE, Duration.ofSeconds(30)),
          "version 2 loaded: " + versions.status(2));
      assertEquals(2, versionAnswering(server));
    }
  }

  @Test
  void aNewVersionReplacesTheOldWithNoFailedRequest() throws Exception {
    Path base = Files.createDirectories(dir.resolve("m").resolve("1")).getParent();
    try (ModelServer server = start(base)) {
      assertEquals(1, versionAnswering(server));
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger failures = new AtomicInteger();
      Set<Long> seen = ConcurrentHashMap.newKeySet();
      List<CompletableFuture<Void>> clients = new ArrayList<>();
      CountDownLatch underWay = new CountDownLatch(8);
      for (int c = 0; c < 8; c++) {
        clients.add(CompletableFuture.runAsync(() -> {
          while (running.get()) {
            try {
              seen.add(versionAnswering(server));
            } catch (AssertionError | RuntimeException e) {
              failures.incrementAndGet();
            }
            underWay.countDown();
          }
        }, Executors.newSingleThreadExecutor()));
      }
      underWay.await(); // every client has had an answer from version 1
      Files.createDirectories(base.resolve("2"));
      awaitState(server, 1, VersionSlot.State.END, "version 1 to be unloaded");
      assertTrue(loaded.get(2L).twentyCalls.await(30, TimeUnit.SECONDS), "20 requests to version 2");
      running.set(false);
      CompletableFuture.allOf(clients.toArray(new CompletableFuture[0])).get();
      assertEquals(0, failures.get(), "no request failed during the switch");
      assertEquals(Set.of(1L, 2L), seen);
      assertTrue(loaded.get(1L).closed);
      JsonElement status = Http.get(server.uri().resolve("v1/models/m")).json();
      assertEquals("[{\"version\":\"2\",\"state\":\"AVAILABLE\",\"status\":{\"error_code\":\"OK\",\"error_message\":\"\"}},"
          + "{\"version\":\"1\",\"state\":\"END\",\"status\":{\"error_code\":\"OK\",\"error_message\":\"\"}}]",
          status.getAsJsonObject().get("model_version_status").toString());
    }
  }

  @Test
  void theOldVersionFinishesItsRequestsBeforeItIsClosed() throws Exception {
    Path base = Files.createDirectories(dir.resolve("m").resolve("1")).getParent();
    try (ModelServer server = start(base)) {
      FakeServable one = loaded.get(1L);
      CompletableFuture<Http.Answer> held = CompletableFuture.supplyAsync(() -> Http.post(
          server.uri().resolve("v1/models/m:predict"), "{\"signature_name\": \"hold\", \"instances\": [1.0]}"));
      one.entered.await();
      Files.createDirectories(base.resolve("2"));
      awaitState(server, 1, VersionSlot.State.UNLOADING, "version 1 to stop taking requests");
      assertEquals(2, versionAnswering(server), "new requests go to version 2");
      assertEquals(404, Http.post(server.uri().resolve("v1/models/m/versions/1:predict"),
          "{\"instances\": [[1, 2]]}").status(), "version 1 takes no new request while it unloads");
      assertFalse(one.closed, "version 1 is not closed under its request");
      one.release.countDown();
      assertEquals(200, held.get().status());
      awaitState(server, 1, VersionSlot.State.END, "version 1 to be closed");
      assertTrue(one.closed);
    }
  }

  @Test
  void aVersionThatFailsToLoadIsReportedAndNeverReplacesTheServedOne() throws Exception {
    Path base = Files.createDirectories(dir.resolve("m").resolve("1")).getParent();
    broken.add(2L);
    try (ModelServer server = start(base)) {
      Files.createDirectories(base.resolve("2"));
      awaitState(server, 2, VersionSlot.State.END, "version 2 to fail");
      assertEquals(1, versionAnswering(server));
      Http.Answer status = Http.get(server.uri().resolve("v1/models/m/versions/2"));
      assertEquals(200, status.status());
      assertEquals("{\n \"model_version_status\": [\n  {\n   \"version\": \"2\",\n   \"state\": \"END\",\n   \"status\": {\n"
          + "    \"error_code\": \"INVALID_ARGUMENT\",\n    \"error_message\": \"" + base.resolve("2")
          + ": truncated or not a SavedModel protocol buffer\"\n   }\n  }\n ]\n}\n", status.body());
      assertEquals(VersionSlot.State.AVAILABLE, state(server, 1));
      Files.writeString(base.resolve("2").resolve("fixed"), "the folder changed");
      awaitState(server, 2, VersionSlot.State.AVAILABLE, "version 2 to be tried again and load");
      assertEquals(2, versionAnswering(server));
    }
    assertTrue(log.stream().anyMatch(l -> l.startsWith("error: model m version 2 failed to load: ")
        && l.endsWith("; still serving version 1")), String.join("\n", log));
  }

  @Test
  void versionsAreNumberedAsServingNumbersThemAndTheHighestIsServed() throws Exception {
    Path base = dir.resolve("m");
    Files.createDirectories(base.resolve("007"));
    Files.createDirectories(base.resolve("3"));
    Files.createDirectories(base.resolve(".tmp-12"));
    try (ModelServer server = start(base)) {
      assertEquals(7, versionAnswering(server));
      assertEquals(200, Http.post(server.uri().resolve("v1/models/m/versions/7:predict"),
          "{\"instances\": [[1, 2]]}").status());
      Files.delete(base.resolve("007"));
      awaitState(server, 3, VersionSlot.State.AVAILABLE, "version 3 once 7 is gone");
      assertEquals(3, versionAnswering(server));
      Files.delete(base.resolve("3"));
      Files.createDirectories(base.resolve("not-a-version"));
      assertEquals(3, versionAnswering(server), "an emptied base path keeps its version");
    }
  }

  @Test
  void withoutAVersionTheServerDoesNotStart() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    ServingException none = assertThrows(ServingException.class, () -> start(empty));
    assertEquals(Code.NOT_FOUND, none.code());
    assertEquals(empty + ": no version folder (TF Serving serves numbered folders such as " + empty.resolve("1") + ")",
        none.getMessage());
    ServingException missing = assertThrows(ServingException.class, () -> start(dir.resolve("missing")));
    assertEquals(dir.resolve("missing") + ": no such folder (a model base path with numbered version folders"
        + " expected)", missing.getMessage());
    Path versionFolder = Files.createDirectories(dir.resolve("model").resolve("4"));
    Files.writeString(versionFolder.resolve("saved_model.pb"), "a model");
    ServingException notBase = assertThrows(ServingException.class, () -> start(versionFolder));
    assertEquals(versionFolder + ": a SavedModel folder, not a model base path: serve the folder that holds it as a"
        + " numbered version (such as " + dir.resolve("model").resolve("1") + ")", notBase.getMessage());
    broken.add(1L);
    Files.createDirectories(dir.resolve("bad").resolve("1"));
    ServingException failed = assertThrows(ServingException.class, () -> start(dir.resolve("bad")));
    assertEquals(dir.resolve("bad").resolve("1") + ": truncated or not a SavedModel protocol buffer",
        failed.getMessage());
  }
}
