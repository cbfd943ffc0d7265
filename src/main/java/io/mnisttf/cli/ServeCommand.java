package io.mnisttf.cli;

import io.mnisttf.savedmodel.WorkerLimits;
import io.mnisttf.serve.BatchingOptions;
import io.mnisttf.serve.ModelServer;
import io.mnisttf.serve.ServeConfig;
import io.mnisttf.serve.ServingException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code serve}: TensorFlow Serving's REST API for a model base path, each version run in model worker
 * processes, versions picked up as they appear; a drawing page at {@code /}. Runs until Ctrl-C or SIGTERM, which
 * drain the requests in flight and exit 0. With {@code --benchmark}, serves on a free loopback port, runs a
 * bounded load on it, prints the figures and exits.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
    description = {"Serve a model base path (numbered SavedModel version folders) with TensorFlow Serving's REST API:",
        "GET /v1/models/NAME[/versions/N|/labels/L][/metadata], POST /v1/models/NAME[/versions/N|/labels/L]:predict"
            + " (also :classify, :regress), and a page at / to draw digits on."})
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "BASE",
      description = "Model base path: numbered SavedModel version folders (TF Serving's layout), e.g. saved-models/mnist.")
  Path model;

  @Option(names = "--name", paramLabel = "NAME", description = "Model name in URLs (default: the base folder's name).")
  String name;

  @Option(names = "--port", paramLabel = "PORT", description = "Port (0: a free one).")
  int port = ServeConfig.PORT_DEFAULT;

  @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to listen on; 0.0.0.0 makes the"
      + " server reachable from other machines.")
  String host = ServeConfig.HOST_DEFAULT;

  @Option(names = "--poll-seconds", paramLabel = "SECONDS", description = "How often the base path is looked at"
      + " for new versions.")
  double pollSeconds = ServeConfig.POLL_DEFAULT.toSeconds();

  @Option(names = "--workers", paramLabel = "N", description = "Model worker processes per version (each loads the"
      + " model; requests run on free workers).")
  int workers = 1;

  @Option(names = "--request-timeout", paramLabel = "SECONDS", description = "Longest a model call may take; past"
      + " it the request gets a 504 and the worker is replaced.")
  double requestTimeout = ServeConfig.REQUEST_TIMEOUT_DEFAULT.toSeconds();

  @Option(names = "--load-timeout", paramLabel = "SECONDS", description = "Longest a worker may take to load a"
      + " version.")
  double loadTimeout = WorkerLimits.LOAD_TIMEOUT_DEFAULT.toSeconds();

  @Option(names = "--worker-memory", paramLabel = "MB", description = "Memory each worker may use, Java heap and"
      + " native together.")
  long workerMemory = WorkerLimits.MEMORY_DEFAULT >> 20;

  @Option(names = "--max-body-mb", paramLabel = "MB", description = "Largest request body accepted (413 beyond).")
  double maxBodyMb = ServeConfig.MAX_BODY_DEFAULT / (double) (1 << 20);

  @Option(names = "--label", paramLabel = "LABEL=VERSION", description = "A version label for /labels/LABEL URLs"
      + " (repeatable), e.g. stable=1.")
  List<String> labels = List.of();

  @Option(names = "--batching", description = "Join concurrent requests into model calls of up to"
      + " --max-batch-size rows (TF Serving's --enable_batching).")
  boolean batching;

  @Option(names = "--max-batch-size", paramLabel = "ROWS", description = "Rows per joined model call.")
  int maxBatchSize = BatchingOptions.DEFAULTS.maxBatchSize();

  @Option(names = "--batch-timeout-ms", paramLabel = "MS", description = "Longest a request waits for others to"
      + " join its batch.")
  double batchTimeoutMs = BatchingOptions.DEFAULTS.batchTimeout().toNanos() / 1e6;

  @Option(names = "--allow-unsafe-ops", description = "Serve models whose graphs hold ops that touch files, the"
      + " network or processes. Only for models you trust.")
  boolean allowUnsafeOps;

  @Option(names = "--benchmark", description = "Serve on a free loopback port, send --clients x --requests"
      + " single-image predicts, print requests/s and latencies beside the model's in-process throughput, exit.")
  boolean benchmark;

  @Option(names = "--clients", paramLabel = "N", description = "Concurrent clients of --benchmark.")
  int clients = 16;

  @Option(names = "--requests", paramLabel = "N", description = "Requests per client of --benchmark.")
  int requests = 200;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    ServeConfig config = config();
    PrintWriter err = spec.commandLine().getErr();
    Consumer<String> log = line -> {
      synchronized (err) {
        err.println(line);
        err.flush();
      }
    };
    if (benchmark) {
      return new ServeBenchmark(clients, requests, common.json, spec.commandLine().getOut(), err)
          .run(config.withAddress(ServeConfig.HOST_DEFAULT, 0), c -> start(c, log));
    }
    CountDownLatch stop = new CountDownLatch(1);
    try (Interrupts interrupts = Interrupts.install(err)) {
      interrupts.onFirstSignal(stop::countDown, "Stopping: finishing the requests in flight");
      ModelServer server = start(config, log);
      try {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "Listening at %s (REST API: /v1/models/%s, page: /); Ctrl-C stops%n", server.uri(),
            config.name());
        out.flush();
        stop.await();
      } finally {
        server.close();
      }
    }
    log.accept("Stopped.");
    return 0;
  }

  private ModelServer start(ServeConfig config, Consumer<String> log) throws Exception {
    try {
      return ModelServer.start(config, log, WorkerLogs.sink(spec.commandLine().getErr(), common.verbose));
    } catch (ServingException e) {
      throw new ServeFailure(e.getMessage());
    } catch (java.net.BindException e) {
      throw new ServeFailure("cannot listen on " + config.host() + ":" + config.port() + " (" + e.getMessage()
          + "; --port chooses another port)");
    }
  }

  /** A failure to serve, already one line for the user. */
  static final class ServeFailure extends Exception {
    private static final long serialVersionUID = 1L;

    ServeFailure(String message) {
      super(message);
    }
  }

  ServeConfig config() {
    if (!(pollSeconds > 0) || !(requestTimeout > 0) || !(loadTimeout > 0) || !(maxBodyMb > 0)
        || Double.isInfinite(pollSeconds + requestTimeout + loadTimeout + maxBodyMb)) {
      throw new ParameterException(spec.commandLine(), "--poll-seconds, --request-timeout, --load-timeout and"
          + " --max-body-mb must be positive numbers");
    }
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port: 0 to 65535, got " + port);
    }
    if (workers < 1 || workers > 64) {
      throw new ParameterException(spec.commandLine(), "--workers: 1 to 64, got " + workers);
    }
    if (batching && (maxBatchSize < 1 || !(batchTimeoutMs >= 0))) {
      throw new ParameterException(spec.commandLine(), "--max-batch-size must be positive and --batch-timeout-ms"
          + " not negative");
    }
    if (clients < 1 || requests < 1 || (long) clients * requests > 1_000_000) {
      throw new ParameterException(spec.commandLine(), "--clients and --requests: positive, at most a million"
          + " requests in all");
    }
    Map<String, Long> versionLabels = new LinkedHashMap<>();
    for (String l : labels) {
      int eq = l.indexOf('=');
      try {
        versionLabels.put(l.substring(0, eq), Long.parseLong(l.substring(eq + 1)));
      } catch (RuntimeException e) {
        throw new ParameterException(spec.commandLine(), "--label: LABEL=VERSION expected, got \"" + l + "\"");
      }
    }
    WorkerLimits limits;
    try {
      limits = new WorkerLimits(millis(loadTimeout), WorkerLimits.BATCH_TIMEOUT_DEFAULT, workerMemory << 20);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--worker-memory: " + e.getMessage());
    }
    try {
      ServeConfig c = ServeConfig.defaults(model);
      if (name != null) {
        c = c.withName(name);
      }
      return c.withAddress(host, port).withPollInterval(millis(pollSeconds))
          .withWorkers(workers, limits, millis(requestTimeout))
          .withMaxBodyBytes((long) (maxBodyMb * (1 << 20))).withAllowUnsafeOps(allowUnsafeOps)
          .withLabels(versionLabels)
          .withBatching(batching ? new BatchingOptions(maxBatchSize, Duration.ofNanos((long) (batchTimeoutMs * 1e6)))
              : null);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static Duration millis(double seconds) {
    return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
  }
}
