package io.mnisttf.cli;

import io.mnisttf.cli.bench.Benchmark;
import io.mnisttf.cli.bench.Stats;
import io.mnisttf.data.Mnist;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code benchmark}: the tutorial workload measured in fresh JVMs, medians over repetitions. */
@Command(name = "benchmark", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
    description = {"Measure the tutorial workload as a user runs it, in fresh JVMs; medians over repetitions.",
        "Each repetition runs 'check-data', the default 'train' (batch 100, 54 000 training examples, 5 epochs)",
        "and 'evaluate' and 'predict' on its export (model in a worker process and --in-process) in fresh JVMs",
        "with this JVM's options, and reports data loading,",
        "TensorFlow start, first and steady-state steps, samples/s, epochs, evaluation, export, the whole run and",
        "peak RSS: medians, minima and maxima. --soak-epochs adds a long run sampling resident memory."})
final class BenchmarkCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--repetitions", paramLabel = "N", description = "Train + evaluate runs to measure.")
  int repetitions = 5;

  @Option(names = "--soak-epochs", paramLabel = "N",
      description = "Also train N epochs (>= 20) in one run and sample resident memory after each (0: no).")
  int soakEpochs = 0;

  @Option(names = "--data", paramLabel = "DIR", description = "Folder with the four MNIST IDX files.")
  Path data = Mnist.DEFAULT_DIR;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    Benchmark.Config config;
    try {
      config = new Benchmark.Config(Main.class.getName(), data, repetitions, soakEpochs);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--repetitions/--soak-epochs: " + e.getMessage());
    }
    PrintWriter log = common.json ? spec.commandLine().getErr() : spec.commandLine().getOut();
    Benchmark.Report report = new Benchmark(config).run(line -> {
      log.println(line);
      log.flush();
    });
    if (common.json) {
      PrintWriter out = spec.commandLine().getOut();
      out.println(Json.line(report));
      out.flush();
    } else {
      printTable(log, report);
    }
    return 0;
  }

  static void printTable(PrintWriter out, Benchmark.Report report) {
    out.printf(Locale.ROOT, "%n%-46s %12s %12s %12s %10s%n", "metric (" + report.repetitions() + " runs)", "median",
        "min", "max", "target");
    for (Benchmark.Metric m : report.metrics()) {
      Stats s = m.stats();
      String verdict = m.target() == null ? "" : m.target() + (Boolean.TRUE.equals(m.met()) ? " ok" : " MISSED");
      out.printf(Locale.ROOT, "%-46s %12s %12s %12s %10s%n", m.label(), number(s.median()), number(s.min()),
          number(s.max()), verdict);
    }
    if (report.soak() != null) {
      Benchmark.Soak soak = report.soak();
      out.printf(Locale.ROOT, "%nsoak: %d epochs, RSS after epoch 10 %.0f MB, after epoch %d %.0f MB: %+.1f%% "
          + "(target within 5%%)%n", soak.epochs(), soak.rssMbByEpoch().get(9), soak.epochs(),
          soak.rssMbByEpoch().get(soak.epochs() - 1), soak.growthPercent());
    }
    out.printf(Locale.ROOT, "%n%d cores, Java %s, JVM options [%s]; load average before: %s, after: %s%n",
        report.cores(), report.javaVersion(), report.jvmOptions(), report.loadAverageBefore(),
        report.loadAverageAfter());
    out.flush();
  }

  private static String number(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    if (Math.abs(v) >= 1000) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.1f" : "%.3f", v);
  }
}
