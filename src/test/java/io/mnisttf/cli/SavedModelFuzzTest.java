package io.mnisttf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mnisttf.data.IdxFiles;
import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import io.mnisttf.testing.Fixtures;
import io.mnisttf.util.MoreFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@code evaluate} with malformed SavedModels: each case copies a real model (our export, trained
 * through the CLI in this JVM, and the Python fixtures: the committed ones, and those of {@code ../shared}
 * when present), applies one to three structure-aware mutations ({@link SavedModelMutator}), and runs
 * {@code evaluate} on it through the model worker, as a user would. The only acceptable outcomes are a score
 * (exit 0, nothing on standard error) or exactly one {@code error:} line with exit 1, within the time bound
 * that the worker's limits give; anything else (another exit code, a stack trace, several lines, a run past
 * the bound) is a finding, printed with its seed and mutations. Every case's outcome is written to
 * {@code target/savedmodel-fuzz.log}.
 *
 * <p>{@code mvn test} runs {@value #SHORT_RUN} seeded cases; a campaign runs more:
 * {@code mvn test -Dtest=SavedModelFuzzTest -Dfuzz.savedmodels=1000} (about 1.5 s a case on 2 cores, two at
 * a time), with {@code -Dfuzz.seed=N} for other cases. Case {@code i} depends only on the seed and {@code i}.
 */
@ExtendWith(TrainedExport.class)
class SavedModelFuzzTest {
  static final int SHORT_RUN = 6;
  private static final String LOAD_TIMEOUT = "30";
  private static final String BATCH_TIMEOUT = "15";
  /** Load and one batch at most, plus the worker's start and stop. */
  private static final Duration BOUND = Duration.ofSeconds(30 + 15 + 20);

  private static final Path LOG = Path.of("target", "savedmodel-fuzz.log");

  @TempDir Path tmp;

  /** One case's outcome. */
  record Outcome(int index, String base, List<SavedModelMutator.Mutation> mutations, CliRun run, String finding) {}

  @Test
  void malformedModelsGiveAScoreOrOneErrorLine(TrainedExport.Model ours) throws Exception {
    int cases = Integer.getInteger("fuzz.savedmodels", SHORT_RUN);
    long seed = Long.getLong("fuzz.seed", 20261201L);
    int parallel = Integer.getInteger("fuzz.parallel", 2);
    Path data = smallMnist(tmp.resolve("mnist"));
    List<Path> bases = new ArrayList<>();
    bases.add(ours.dir());
    java.util.Set<String> names = new java.util.LinkedHashSet<>(Fixtures.COMMITTED_SCORABLE);
    if (Fixtures.sharedPresent()) {
      names.addAll(Fixtures.ALL_NAMES);
    }
    for (String name : names) {
      bases.add(Fixtures.pythonModel(name));
    }
    Collections.shuffle(bases, new Random(seed));

    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    List<Future<Outcome>> futures = new ArrayList<>();
    for (int i = 0; i < cases; i++) {
      int index = i;
      Path base = bases.get(i % bases.size());
      futures.add(pool.submit(() -> runCase(index, seed, base, data)));
    }
    Map<String, Integer> counts = new TreeMap<>();
    List<String> findings = new ArrayList<>();
    List<String> log = new ArrayList<>();
    long start = System.nanoTime();
    try {
      for (int i = 0; i < futures.size(); i++) {
        Outcome o;
        try {
          o = futures.get(i).get(BOUND.toSeconds() * ((long) cases / parallel + 1), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          findings.add("case " + i + ": no result (hang)");
          continue;
        }
        counts.merge(category(o), 1, Integer::sum);
        log.add(o.index() + "\t" + o.base() + "\t" + o.mutations() + "\texit " + o.run().exitCode() + "\t"
            + (o.run().exitCode() == 0 ? "scored" : String.join(" | ", o.run().errLines())));
        if (log.size() % 50 == 0) {
          Files.write(LOG, log); // a long campaign shows its progress
        }
        if (o.finding() != null) {
          findings.add("case " + o.index() + " (seed " + seed + ", base " + o.base() + ", " + o.mutations() + "): "
              + o.finding() + "\n" + o.run());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    Files.write(LOG, log);
    System.out.printf("SavedModel fuzz: %d cases, seed %d, %.0f s: %s; %d finding(s)%n", cases, seed,
        (System.nanoTime() - start) / 1e9, counts, findings.size());
    assertEquals(List.of(), findings);
  }

  private Outcome runCase(int index, long seed, Path base, Path data) throws IOException {
    Path dir = tmp.resolve("case-" + index);
    copy(base, dir);
    List<SavedModelMutator.Mutation> mutations = new SavedModelMutator(seed * 1_000_003L + index).mutate(dir);
    long start = System.nanoTime();
    CliRun run = CliRun.of("evaluate", "--model", dir.toString(), "--data", data.toString(), "--load-timeout",
        LOAD_TIMEOUT, "--batch-timeout", BATCH_TIMEOUT);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    MoreFiles.deleteRecursively(dir);
    return new Outcome(index, base.getFileName().toString(), mutations, run, finding(run, took));
  }

  /** Why the run is not acceptable, or null. */
  static String finding(CliRun run, Duration took) {
    if (took.compareTo(BOUND) > 0) {
      return "took " + took.toSeconds() + " s, more than the bound of " + BOUND.toSeconds() + " s";
    }
    String[] err = run.errLines();
    if (run.exitCode() == 0) {
      return run.out().contains("Test: loss") && err.length == 0 ? null : "exit 0 without a clean score";
    }
    if (run.exitCode() != 1) {
      return "exit code " + run.exitCode();
    }
    if (err.length != 1 || !err[0].startsWith("error: ")) {
      return err.length + " line(s) on stderr instead of one error line";
    }
    return null;
  }

  private static String category(Outcome o) {
    if (o.finding() != null) {
      return "finding";
    }
    if (o.run().exitCode() == 0) {
      return "scored";
    }
    String line = o.run().errLines()[0];
    for (String kind : List.of("refused before loading", "TensorFlow aborted", "crashed", "took longer",
        "of memory", "broke the protocol", "exited with code", "TensorFlow could not load", "calling signature",
        "truncated", "checkpoint", "signature")) {
      if (line.contains(kind)) {
        return kind;
      }
    }
    return "other error";
  }

  /** The first 300 training and 200 test images of MNIST, as plain IDX files. */
  static Path smallMnist(Path dir) throws IOException {
    Files.createDirectories(dir);
    MnistData train = Mnist.loadTrain(Mnist.DEFAULT_DIR).first(300);
    MnistData test = Mnist.loadTest(Mnist.DEFAULT_DIR).first(200);
    writePart(dir, Mnist.TRAIN_IMAGES, Mnist.TRAIN_LABELS, train);
    writePart(dir, Mnist.TEST_IMAGES, Mnist.TEST_LABELS, test);
    return dir;
  }

  private static void writePart(Path dir, String images, String labels, MnistData data) throws IOException {
    IdxFiles.write(dir.resolve(images), IdxFiles.idx(0x08, new int[] {data.size(), 28, 28}, data.pixels()));
    IdxFiles.write(dir.resolve(labels), IdxFiles.idx(0x08, new int[] {data.size()}, data.labels()));
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.sorted().toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
