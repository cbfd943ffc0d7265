package io.mnisttf.cli;

import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code check-data}: reads and validates the four MNIST files, and says how long that took. */
@Command(name = "check-data", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Read and validate the four MNIST IDX files (gzip or plain): magic numbers, element type, "
        + "dimensions, exact lengths, matching counts, labels 0-9.")
final class CheckDataCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data", paramLabel = "DIR", description = "Folder with the four MNIST IDX files.")
  Path data = Mnist.DEFAULT_DIR;

  @Mixin CommonOptions common;

  /** The JSON line (snake_case). */
  record CheckSummary(String data, int trainExamples, int testExamples, int[] trainLabelCounts,
      double loadSeconds) {}

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    Mnist mnist = Mnist.load(data);
    double seconds = (System.nanoTime() - start) / 1e9;
    int[] counts = new int[MnistData.CLASSES];
    for (int i = 0; i < mnist.train().size(); i++) {
      counts[mnist.train().label(i)]++;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (common.json) {
      out.println(Json.line(new CheckSummary(data.toString(), mnist.train().size(), mnist.test().size(), counts,
          seconds)));
    } else {
      out.printf(Locale.ROOT, "%s: valid; %d training and %d test images of 28x28, read and checked in %.3fs%n",
          data, mnist.train().size(), mnist.test().size(), seconds);
      out.printf(Locale.ROOT, "training images per digit 0-9: %s%n", java.util.Arrays.toString(counts));
    }
    out.flush();
    return 0;
  }
}
