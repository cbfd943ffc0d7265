package io.mnisttf.cli;

import io.mnisttf.data.MnistData;
import io.mnisttf.runtime.QuietTensorFlow;
import io.mnisttf.savedmodel.Classifier;
import io.mnisttf.savedmodel.ClassifierOptions;
import io.mnisttf.savedmodel.Classifiers;
import io.mnisttf.savedmodel.internal.runtime.CalibrationSample;
import io.mnisttf.serve.DigitRequests;
import io.mnisttf.serve.LoadBenchmark;
import io.mnisttf.serve.ModelServer;
import io.mnisttf.serve.ModelVersions;
import io.mnisttf.serve.ServeConfig;
import io.mnisttf.serve.ServingException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code serve --benchmark}: serves the model on a free loopback port, sends {@code clients x requests}
 * single-image predicts of MNIST digits after a short warm-up, and prints requests/s and latencies beside the
 * model's own speed in this process (no HTTP, no worker).
 */
final class ServeBenchmark {
  /** Starts the server for a configuration; a failure is a {@link ServeCommand.ServeFailure}, one line. */
  interface Starter {
    ModelServer start(ServeConfig config) throws Exception;
  }

  private final int clients;
  private final int requests;
  private final boolean json;
  private final PrintWriter out;
  private final PrintWriter err;

  /**
   * @param clients concurrent clients
   * @param requests requests per client
   * @param json whether the figures go to standard error and one JSON line to standard output
   */
  ServeBenchmark(int clients, int requests, boolean json, PrintWriter out, PrintWriter err) {
    this.clients = clients;
    this.requests = requests;
    this.json = json;
    this.out = out;
    this.err = err;
  }

  /**
   * Starts a server for {@code config}, loads it, prints the figures (and, with {@code --json}, one JSON line on
   * standard output) and stops it.
   *
   * @return 0, or {@link Main#EXIT_FAILURE} when a request failed
   */
  int run(ServeConfig config, Starter starter) throws Exception {
    PrintWriter report = json ? err : out;
    MnistData images = CalibrationSample.load();
    LoadBenchmark.Report load;
    long version;
    try (ModelServer server = starter.start(config)) {
      List<byte[]> bodies;
      try (ModelVersions.Lease lease = server.versions().acquire(null)) {
        version = lease.version();
        bodies = DigitRequests.bodies(lease.servable().signatures().get("serving_default"), images,
            images.size());
      } catch (NullPointerException | ServingException e) {
        throw new ServeCommand.ServeFailure(config.base() + ": --benchmark needs a serving_default signature that"
            + " takes one 28x28 image (" + e.getMessage() + ")");
      }
      URI url = server.uri().resolve("v1/models/" + config.name() + ":predict");
      LoadBenchmark.run(url, bodies, clients, Math.max(1, Math.min(requests, 20))); // warm-up: JIT, connections
      load = LoadBenchmark.run(url, bodies, clients, requests);
    }
    report.printf(Locale.ROOT, "Load: %d clients x %d single-image predicts, %s, %d worker(s), batching %s%n",
        clients, requests, config.name() + " version " + version, config.workers(),
        config.batching() == null ? "off" : "on (" + config.batching().maxBatchSize() + " rows, "
            + config.batching().batchTimeout().toNanos() / 1e6 + " ms)");
    report.printf(Locale.ROOT, "  %d requests in %.2f s: %.0f requests/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms,"
        + " %d error(s)%n", load.requests(), load.seconds(), load.requestsPerSecond(), load.p50Millis(),
        load.p99Millis(), load.maxMillis(), load.errors());
    if (load.firstError() != null) {
      report.println("  first error: " + load.firstError());
    }
    Limit limit = inProcessLimit(config.base(), images);
    report.printf(Locale.ROOT, "Limit: the model in this process (no HTTP, no worker): %.0f calls/s of one image,"
        + " %.0f images/s in batches of 100%n", limit.singleCallsPerSecond(), limit.batchImagesPerSecond());
    report.flush();
    if (json) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("clients", clients);
      line.put("requests", load.requests());
      line.put("errors", load.errors());
      line.put("seconds", load.seconds());
      line.put("requests_per_second", load.requestsPerSecond());
      line.put("p50_ms", load.p50Millis());
      line.put("p99_ms", load.p99Millis());
      line.put("max_ms", load.maxMillis());
      line.put("workers", config.workers());
      line.put("batching", config.batching() != null);
      line.put("in_process_single_calls_per_second", limit.singleCallsPerSecond());
      line.put("in_process_batch_images_per_second", limit.batchImagesPerSecond());
      out.println(Json.line(line));
      out.flush();
    }
    return load.errors() == 0 ? 0 : Main.EXIT_FAILURE;
  }

  /** The model's own speed in this process: one image per call, and batches of 100. */
  record Limit(double singleCallsPerSecond, double batchImagesPerSecond) {}

  private static Limit inProcessLimit(Path base, MnistData images) throws Exception {
    QuietTensorFlow.start();
    try (Classifier classifier = Classifiers.open(base, ClassifierOptions.DEFAULTS.inProcess())) {
      float[] pixels = new float[100 * MnistData.PIXELS];
      for (int i = 0; i < 100; i++) {
        images.copyScaled(i, pixels, i * MnistData.PIXELS);
      }
      float[] probabilities = new float[100 * MnistData.CLASSES];
      for (int i = 0; i < 200; i++) {
        classifier.classify(pixels, 1, probabilities, null); // warm-up
      }
      int singles = 2000;
      long start = System.nanoTime();
      for (int i = 0; i < singles; i++) {
        classifier.classify(pixels, 1, probabilities, null);
      }
      double single = singles / ((System.nanoTime() - start) / 1e9);
      int batches = 200;
      start = System.nanoTime();
      for (int i = 0; i < batches; i++) {
        classifier.classify(pixels, 100, probabilities, null);
      }
      double batch = batches * 100 / ((System.nanoTime() - start) / 1e9);
      return new Limit(single, batch);
    }
  }
}
