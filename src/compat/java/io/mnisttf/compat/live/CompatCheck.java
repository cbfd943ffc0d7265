package io.mnisttf.compat.live;

import io.mnisttf.compat.OpRegistry;
import io.mnisttf.compat.OpRegistrySnapshot;
import io.mnisttf.compat.TensorFlowVersions;
import io.mnisttf.compat.TfRuntime;
import io.mnisttf.compat.VersionVerdict;
import io.mnisttf.data.Mnist;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.internal.format.SavedModelFile;
import io.mnisttf.savedmodel.internal.format.SavedModelReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The compatibility check of the {@code compat} Maven profile: for each SavedModel given, loads it in the six
 * runtimes of {@link TfRuntime#ALL} ({@link LiveCheck}), prints a table (loaded or the exact error, test
 * accuracy, largest output difference against TensorFlow 2.18, same classes, "unknown attribute" logged) and
 * the {@code inspect} verdict ({@link TensorFlowVersions}) beside it, counts the loads that differ from
 * TensorFlow 2.18 by more than {@code 1e-5} or in a predicted class, and exits 1 when the verdict and a real
 * load disagree (loads or not, and for a load whether it logged the "unknown attribute" warning). Also writes
 * {@code live-results.tsv} (model, version, {@code logged} or {@code quiet}, {@code ok} or the error) into the
 * work folder.
 *
 * <pre>
 * CompatCheck --runtimes target/compat-runtimes --snapshot false --models [NAME=]DIR|DIR/*[,...]
 *     [--data data/mnist] [--work target/compat]
 * </pre>
 * With {@code --snapshot true}, first regenerates the committed op-registry snapshot
 * ({@value #SNAPSHOT_SOURCE}) from the runtimes, and judges with that.
 */
public final class CompatCheck {
  /** Where the committed snapshot lives in the source tree. */
  static final String SNAPSHOT_SOURCE = "src/main/resources/io/mnisttf/compat/op-registries.tsv.gz";

  /** Longest error shown in the table. */
  static final int TABLE_ERROR_CHARS = 110;

  private CompatCheck() {}

  /** Runs the check; see the class comment. Bad input is one {@code error: ...} line and exit code 1. */
  public static void main(String[] args) throws InterruptedException {
    try {
      System.exit(run(args));
    } catch (IOException | UncheckedIOException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
    }
  }

  private static int run(String[] args) throws IOException, SavedModelException, InterruptedException {
    Path runtimes = Path.of(option(args, "--runtimes", "target/compat-runtimes"));
    Path work = Path.of(option(args, "--work", "target/compat"));
    Files.createDirectories(work);
    List<OpRegistry> registries = OpRegistrySnapshot.load();
    if (Boolean.parseBoolean(option(args, "--snapshot", "false"))) {
      registries = SnapshotGenerator.generate(runtimes, work, Path.of(SNAPSHOT_SOURCE));
      System.out.printf("Wrote %s (%,d bytes) from the six runtimes%n", SNAPSHOT_SOURCE,
          Files.size(Path.of(SNAPSHOT_SOURCE)));
    }
    LiveCheck live = new LiveCheck(runtimes, work, Mnist.loadTest(Path.of(option(args, "--data", "data/mnist"))));
    List<String> tsv = new ArrayList<>();
    int disagreements = 0;
    int differing = 0;
    for (Map.Entry<String, Path> model : models(option(args, "--models", "saved-models/mnist")).entrySet()) {
      String name = model.getKey();
      Path dir = model.getValue();
      SavedModelFile file = SavedModelReader.read(dir);
      VersionVerdict verdict = TensorFlowVersions.assess(file.servingMetaGraph().getGraphDef(), registries);
      List<LiveCheck.Result> results = live.check(name, dir);
      disagreements += print(System.out, name, file.dir(), results, verdict);
      System.out.flush();
      for (LiveCheck.Result r : results) {
        differing += r.loaded() && !r.passes() ? 1 : 0;
        tsv.add(name + "\t" + r.version() + "\t" + (r.unknownAttrLogged() ? "logged" : "quiet") + "\t"
            + (r.loaded() ? VersionVerdict.OK : r.error()));
      }
    }
    Files.write(work.resolve("live-results.tsv"), tsv, StandardCharsets.UTF_8);
    if (differing > 0) {
      System.out.printf("%d load(s) differ from TensorFlow 2.18 by more than %.0e or in a predicted class%n",
          differing, LiveCheck.TOLERANCE);
    }
    System.out.println(disagreements == 0 ? "The inspect verdict agrees with every real load."
        : "error: the inspect verdict disagrees with " + disagreements + " real load(s)");
    return disagreements == 0 ? 0 : 1;
  }

  /**
   * The models of {@code --models}, by name: {@code NAME=DIR} names one, a plain {@code DIR} is named by its
   * folder, and {@code DIR/*} stands for every SavedModel folder in {@code DIR}, each named by its folder.
   */
  static Map<String, Path> models(String specs) throws IOException {
    Map<String, Path> models = new LinkedHashMap<>();
    for (String spec : specs.split(",")) {
      int eq = spec.indexOf('=');
      String path = spec.substring(eq + 1).strip();
      if (path.endsWith("/*")) {
        Path parent = Path.of(path.substring(0, path.length() - 2));
        try (Stream<Path> children = Files.list(parent)) {
          children.filter(c -> Files.isRegularFile(c.resolve(SavedModelReader.MODEL_FILE))).sorted()
              .forEach(c -> models.put(c.getFileName().toString(), c));
        }
      } else {
        Path dir = Path.of(path);
        models.put(eq > 0 ? spec.substring(0, eq).strip() : dir.toAbsolutePath().normalize().getFileName().toString(),
            dir);
      }
    }
    return models;
  }

  /** Prints one model's table; returns how many runtimes the verdict got wrong. */
  static int print(PrintStream out, String name, Path dir, List<LiveCheck.Result> results, VersionVerdict verdict) {
    out.printf("%n%s (%s)%n", name, dir);
    out.println("inspect: TensorFlow: " + verdict.summary());
    out.println();
    out.println("| TensorFlow | loads and runs | accuracy | max diff vs 2.18 | same classes | \"unknown attribute\""
        + " logged | verdict agrees |");
    out.println("|---|---|---|---|---|---|---|");
    int wrong = 0;
    for (LiveCheck.Result r : results) {
      boolean agrees = verdict.loads(r.version()) == r.loaded()
          && (!r.loaded() || verdict.ignoredAttrs().containsKey(r.version()) == r.unknownAttrLogged());
      wrong += agrees ? 0 : 1;
      out.printf("| %s | %s | %s | %s | %s | %s | %s |%n", r.version(),
          r.loaded() ? (r.passes() ? "yes" : "yes, but differs") : "no: " + shorten(r.error()),
          LiveCheck.format(r.accuracy(), "%.4f"), LiveCheck.format(r.maxDifference(), "%.1e"),
          r.loaded() ? (r.sameClasses() ? "yes" : "no") : "-", r.unknownAttrLogged() ? "yes" : "no",
          agrees ? "yes" : "NO (" + verdict.perVersion().get(r.version()) + ")");
    }
    return wrong;
  }

  /** The error's first {@value #TABLE_ERROR_CHARS} characters, for the table (live-results.tsv has it whole). */
  static String shorten(String error) {
    String e = error.replace("|", "\\|");
    return e.length() <= TABLE_ERROR_CHARS ? e : e.substring(0, TABLE_ERROR_CHARS) + "...";
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
