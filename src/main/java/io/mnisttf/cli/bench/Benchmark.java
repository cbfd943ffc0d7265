package io.mnisttf.cli.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.mnisttf.util.MoreFiles;
import io.mnisttf.util.ProcessMemory;

/**
 * Measures the tutorial workload the way a user runs it: each repetition starts a fresh JVM that runs the
 * default {@code train} (batch 100, 54 000 training examples, 5 epochs, per-epoch validation, test evaluation,
 * export), then {@code evaluate} and {@code predict} (of {@value #PREDICT_IMAGES} PNG digits) on the exported
 * model, each with the model in a worker process and {@code --in-process}. Each child reports its own phase
 * timings and peak RSS in its JSON summary; this class adds the wall time from spawn to exit and takes the
 * median, minimum and maximum over the repetitions. An optional soak run trains for many epochs and samples
 * the child's resident memory after each epoch, to show whether native memory grows.
 */
public final class Benchmark {
  private static final Pattern EPOCH_LINE = Pattern.compile("^Epoch (\\d+)/(\\d+) ");
  /** Digit images {@code predict} classifies in each run. */
  static final int PREDICT_IMAGES = 3;

  /**
   * @param mainClass the tool's main class, run in each child JVM
   * @param dataDir MNIST folder the children read
   * @param repetitions how many train + evaluate pairs to run, >= 1
   * @param soakEpochs epochs of the memory soak run, 0 for none
   */
  public record Config(String mainClass, Path dataDir, int repetitions, int soakEpochs) {
    public Config {
      if (repetitions < 1) {
        throw new IllegalArgumentException("repetitions must be >= 1, got " + repetitions);
      }
      if (soakEpochs != 0 && soakEpochs < 20) {
        throw new IllegalArgumentException("a soak run needs at least 20 epochs (0 for none), got " + soakEpochs);
      }
    }
  }

  /**
   * One measured quantity.
   *
   * @param key snake_case name
   * @param label human-readable name with unit
   * @param stats over the repetitions
   * @param target the goal, e.g. "<= 4.0", or null
   * @param met whether the median meets the target, null without a target
   */
  public record Metric(String key, String label, Stats stats, String target, Boolean met) {}

  /**
   * Resident memory of the soak run.
   *
   * @param epochs epochs run
   * @param rssMbByEpoch resident set size after each epoch, MB
   * @param growthPercent growth from epoch 10 to the last epoch, percent
   */
  public record Soak(int epochs, List<Double> rssMbByEpoch, double growthPercent) {}

  /** Everything measured, with the conditions it was measured in. */
  public record Report(List<Metric> metrics, Soak soak, int repetitions, int cores, String loadAverageBefore,
      String loadAverageAfter, String javaVersion, String jvmOptions) {}

  private final Config config;
  private final JavaProcess children;

  public Benchmark(Config config) {
    this.config = config;
    this.children = new JavaProcess(config.mainClass(), Map.of("TF_CPP_MIN_LOG_LEVEL", "2"));
  }

  /** Runs all repetitions (and the soak run), reporting progress lines to {@code progress}. */
  public Report run(Consumer<String> progress) throws IOException, InterruptedException {
    String loadBefore = loadAverage();
    Map<String, List<Double>> values = new LinkedHashMap<>();
    Path work = Files.createTempDirectory("mnist-tf-java-benchmark");
    try {
      List<String> images = DigitPngs.write(config.dataDir(), work.resolve("digits"), PREDICT_IMAGES);
      for (int rep = 1; rep <= config.repetitions(); rep++) {
        JsonObject check = runChild("check-data", List.of("check-data", "--json", "--data",
            config.dataDir().toString()), values);
        add(values, "data_load_seconds", check, "load_seconds");
        JsonObject train = runChild("train", List.of("train", "--json", "--data", config.dataDir().toString(),
            "--export-dir", work.resolve("exports").toString(), "--runs-dir", work.resolve("runs").toString()),
            values);
        JsonObject timings = train.getAsJsonObject("timings");
        add(values, "train_data_load_seconds", timings, "data_load_seconds");
        add(values, "graph_build_seconds", timings, "graph_build_seconds");
        add(values, "first_step_seconds", timings, "first_step_seconds");
        add(values, "steady_step_ms", timings, "steady_step_ms");
        values.computeIfAbsent("epoch_seconds", k -> new ArrayList<>())
            .add(Stats.of(doubles(timings.getAsJsonArray("epoch_seconds"))).median());
        add(values, "samples_per_second", train, "samples_per_second");
        add(values, "test_eval_seconds", timings, "test_eval_seconds");
        add(values, "export_seconds", timings, "export_seconds");
        add(values, "test_accuracy", train, "test_accuracy");
        add(values, "peak_rss_mb", train, "peak_rss_mb");
        String export = train.get("export_dir").getAsString();
        JsonObject evaluate = modelRuns(rep, export, images, values);
        add(values, "evaluate_load_seconds", evaluate, "load_seconds");
        add(values, "evaluate_seconds", evaluate, "eval_seconds");
        progress.accept(String.format(Locale.ROOT,
            "repetition %d/%d: %.0f samples/s, whole run %.2f s, peak RSS %s MB, evaluate %.3f s",
            rep, config.repetitions(), last(values, "samples_per_second"), last(values, "train_wall_seconds"),
            train.get("peak_rss_mb"), last(values, "evaluate_seconds")));
      }
      Soak soak = config.soakEpochs() > 0 ? soak(work, progress) : null;
      return new Report(metrics(values), soak, config.repetitions(), Runtime.getRuntime().availableProcessors(),
          loadBefore, loadAverage(), System.getProperty("java.version"),
          String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
    } finally {
      MoreFiles.deleteRecursively(work);
    }
  }

  /**
   * {@code evaluate} and {@code predict} of the export, each with the model in a worker process (the default)
   * and {@code --in-process}, in an order that alternates from one repetition to the next; returns the
   * worker {@code evaluate}'s summary.
   */
  private JsonObject modelRuns(int rep, String export, List<String> images, Map<String, List<Double>> values)
      throws IOException, InterruptedException {
    List<String> evaluate = List.of("evaluate", "--json", "--model", export, "--data", config.dataDir().toString());
    List<String> predict = new ArrayList<>(List.of("predict", "--json", "--model", export, "--data",
        config.dataDir().toString()));
    predict.addAll(images);
    JsonObject summary = null;
    for (boolean inProcess : rep % 2 == 1 ? new boolean[] {false, true} : new boolean[] {true, false}) {
      String suffix = inProcess ? "_in_process" : "";
      JsonObject e = runChild("evaluate" + suffix, withInProcess(evaluate, inProcess), values);
      runChild("predict" + suffix, withInProcess(predict, inProcess), values);
      if (!inProcess) {
        summary = e;
      }
    }
    List<Double> worker = values.get("evaluate_wall_seconds");
    List<Double> alone = values.get("evaluate_in_process_wall_seconds");
    values.computeIfAbsent("evaluate_worker_overhead_percent", k -> new ArrayList<>())
        .add(100 * (worker.get(worker.size() - 1) / alone.get(alone.size() - 1) - 1));
    return summary;
  }

  private static List<String> withInProcess(List<String> args, boolean inProcess) {
    List<String> all = new ArrayList<>(args);
    if (inProcess) {
      all.add(1, "--in-process");
    }
    return all;
  }

  private JsonObject runChild(String name, List<String> args, Map<String, List<Double>> values)
      throws IOException, InterruptedException {
    JavaProcess.Outcome outcome = children.run(args, (pid, line) -> { });
    if (outcome.exitCode() != 0) {
      String why = outcome.stderr().stream().filter(l -> l.startsWith("error:")).findFirst()
          .orElse(outcome.stderr().isEmpty() ? "" : outcome.stderr().get(outcome.stderr().size() - 1));
      throw new IOException("benchmark " + name + " run failed (exit " + outcome.exitCode() + "): " + why);
    }
    values.computeIfAbsent(name + "_wall_seconds", k -> new ArrayList<>()).add(outcome.wallSeconds());
    return JsonParser.parseString(outcome.lastLine()).getAsJsonObject();
  }

  private Soak soak(Path work, Consumer<String> progress) throws IOException, InterruptedException {
    int epochs = config.soakEpochs();
    progress.accept("soak run: " + epochs + " epochs, sampling resident memory after each");
    double[] rss = new double[epochs + 1];
    JavaProcess.Outcome outcome = children.run(List.of("train", "--json", "--data", config.dataDir().toString(),
        "--epochs", Integer.toString(epochs), "--patience", Integer.toString(epochs), "--no-export",
        "--runs-dir", work.resolve("soak-runs").toString()), (pid, line) -> {
          Matcher m = EPOCH_LINE.matcher(line);
          if (m.find()) {
            int epoch = Integer.parseInt(m.group(1));
            OptionalLong bytes = ProcessMemory.rssBytes(pid);
            if (epoch <= epochs && bytes.isPresent()) {
              rss[epoch] = bytes.getAsLong() / (1024.0 * 1024.0);
            }
          }
        });
    if (outcome.exitCode() != 0) {
      throw new IOException("benchmark soak run failed (exit " + outcome.exitCode() + ")");
    }
    List<Double> byEpoch = new ArrayList<>();
    for (int e = 1; e <= epochs; e++) {
      byEpoch.add(rss[e]);
    }
    double growth = 100.0 * (rss[epochs] - rss[10]) / rss[10];
    return new Soak(epochs, byEpoch, growth);
  }

  private static List<Metric> metrics(Map<String, List<Double>> values) {
    List<Metric> metrics = new ArrayList<>();
    metric(metrics, values, "data_load_seconds", "load + validate the 4 IDX files (s)", "<= 0.25", 0.25, true);
    metric(metrics, values, "train_data_load_seconds", "  same, in train beside TensorFlow's start (s)", null,
        0, true);
    metric(metrics, values, "graph_build_seconds", "TensorFlow start, graph build, warm-up (s)", null, 0, true);
    metric(metrics, values, "first_step_seconds", "first training step (s)", null, 0, true);
    metric(metrics, values, "steady_step_ms", "steady-state step (ms)", null, 0, true);
    metric(metrics, values, "epoch_seconds", "epoch incl. validation (s)", null, 0, true);
    metric(metrics, values, "samples_per_second", "training samples/s", ">= 165000", 165_000, false);
    metric(metrics, values, "test_eval_seconds", "test evaluation in session (s)", null, 0, true);
    metric(metrics, values, "export_seconds", "SavedModel export (s)", null, 0, true);
    metric(metrics, values, "train_wall_seconds", "whole train run, JVM start to export (s)", "<= 4.0", 4.0,
        true);
    metric(metrics, values, "peak_rss_mb", "peak RSS of the train run (MB)", "<= 650", 650, true);
    metric(metrics, values, "test_accuracy", "test accuracy", ">= 0.965", 0.965, false);
    metric(metrics, values, "evaluate_load_seconds", "evaluate: load our export (s)", null, 0, true);
    metric(metrics, values, "evaluate_seconds", "evaluate: 10 000 test images after load (s)", "<= 0.3", 0.3,
        true);
    metric(metrics, values, "evaluate_wall_seconds", "evaluate: whole run, model in a worker (s)", null, 0, true);
    metric(metrics, values, "evaluate_in_process_wall_seconds", "evaluate: whole run, --in-process (s)", null, 0,
        true);
    metric(metrics, values, "evaluate_worker_overhead_percent", "evaluate: worker's cost over --in-process (%)",
        "<= 30", 30, true);
    metric(metrics, values, "predict_wall_seconds", "predict " + PREDICT_IMAGES + " PNGs, model in a worker (s)",
        null, 0, true);
    metric(metrics, values, "predict_in_process_wall_seconds", "predict " + PREDICT_IMAGES
        + " PNGs, --in-process (s)", null, 0, true);
    return metrics;
  }

  private static void metric(List<Metric> out, Map<String, List<Double>> values, String key, String label,
      String target, double bound, boolean atMost) {
    Stats stats = Stats.of(values.getOrDefault(key, List.of()));
    Boolean met = target == null || stats.count() == 0 ? null
        : atMost ? stats.median() <= bound : stats.median() >= bound;
    out.add(new Metric(key, label, stats, target, met));
  }

  private static void add(Map<String, List<Double>> values, String key, JsonObject from, String field) {
    JsonElement e = from == null ? null : from.get(field);
    if (e != null && !e.isJsonNull()) {
      values.computeIfAbsent(key, k -> new ArrayList<>()).add(e.getAsDouble());
    }
  }

  private static double last(Map<String, List<Double>> values, String key) {
    List<Double> list = values.get(key);
    return list == null || list.isEmpty() ? Double.NaN : list.get(list.size() - 1);
  }

  private static List<Double> doubles(com.google.gson.JsonArray array) {
    List<Double> out = new ArrayList<>();
    array.forEach(e -> out.add(e.getAsDouble()));
    return out;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
