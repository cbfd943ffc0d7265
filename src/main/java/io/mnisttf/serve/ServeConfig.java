package io.mnisttf.serve;

import io.mnisttf.savedmodel.WorkerLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link ModelServer} serves a model.
 *
 * @param base the model base path (numbered version folders, TF Serving's layout)
 * @param name the model name in URLs ({@code /v1/models/NAME}); by default the base folder's name
 * @param host the address to bind (127.0.0.1 by default: the server is not reachable from other machines)
 * @param port the port (8501, TF Serving's REST port, by default; 0 for a free one)
 * @param pollInterval how often the base path is looked at for new versions (1 s, Serving's default)
 * @param workers model worker processes per version
 * @param limits each worker's load time limit and memory limit
 * @param requestTimeout longest a model call may take; past it the worker is stopped and replaced (504)
 * @param maxBodyBytes largest request body accepted (413 beyond)
 * @param allowUnsafeOps serve models whose graphs hold ops that touch files, the network or processes
 * @param labels version labels ({@code stable -> 1}) for {@code /labels/L} URLs
 * @param batching the request batching, or {@code null} for none
 * @param httpThreads request threads
 */
public record ServeConfig(Path base, String name, String host, int port, Duration pollInterval, int workers,
    WorkerLimits limits, Duration requestTimeout, long maxBodyBytes, boolean allowUnsafeOps,
    Map<String, Long> labels, BatchingOptions batching, int httpThreads) {
  public static final int PORT_DEFAULT = 8501;
  public static final String HOST_DEFAULT = "127.0.0.1";
  public static final Duration POLL_DEFAULT = Duration.ofSeconds(1);
  public static final Duration REQUEST_TIMEOUT_DEFAULT = Duration.ofSeconds(30);
  public static final long MAX_BODY_DEFAULT = 8L << 20;

  public ServeConfig {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(name, "name");
    labels = Map.copyOf(labels);
    if (name.isEmpty() || name.contains("/") || name.contains(":")) {
      throw new IllegalArgumentException("a model name may not be empty or contain '/' or ':', got \"" + name + "\"");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    if (workers < 1 || httpThreads < 1 || maxBodyBytes < 1) {
      throw new IllegalArgumentException("workers, threads and the body limit must be positive");
    }
    if (pollInterval.isNegative() || pollInterval.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("the poll interval and request timeout must be positive");
    }
  }

  /** The defaults for {@code base}: its folder name as model name, 127.0.0.1:8501, one worker, no batching. */
  public static ServeConfig defaults(Path base) {
    Path fileName = base.toAbsolutePath().normalize().getFileName();
    return new ServeConfig(base, fileName == null ? "model" : fileName.toString(), HOST_DEFAULT, PORT_DEFAULT,
        POLL_DEFAULT, 1, WorkerLimits.DEFAULTS, REQUEST_TIMEOUT_DEFAULT, MAX_BODY_DEFAULT, false, Map.of(), null,
        32);
  }

  public ServeConfig withName(String n) {
    return new ServeConfig(base, n, host, port, pollInterval, workers, limits, requestTimeout, maxBodyBytes,
        allowUnsafeOps, labels, batching, httpThreads);
  }

  public ServeConfig withAddress(String h, int p) {
    return new ServeConfig(base, name, h, p, pollInterval, workers, limits, requestTimeout, maxBodyBytes,
        allowUnsafeOps, labels, batching, httpThreads);
  }

  public ServeConfig withPollInterval(Duration d) {
    return new ServeConfig(base, name, host, port, d, workers, limits, requestTimeout, maxBodyBytes, allowUnsafeOps,
        labels, batching, httpThreads);
  }

  public ServeConfig withWorkers(int w, WorkerLimits l, Duration timeout) {
    return new ServeConfig(base, name, host, port, pollInterval, w, l, timeout, maxBodyBytes, allowUnsafeOps, labels,
        batching, httpThreads);
  }

  public ServeConfig withMaxBodyBytes(long bytes) {
    return new ServeConfig(base, name, host, port, pollInterval, workers, limits, requestTimeout, bytes,
        allowUnsafeOps, labels, batching, httpThreads);
  }

  public ServeConfig withAllowUnsafeOps(boolean allow) {
    return new ServeConfig(base, name, host, port, pollInterval, workers, limits, requestTimeout, maxBodyBytes, allow,
        labels, batching, httpThreads);
  }

  public ServeConfig withLabels(Map<String, Long> l) {
    return new ServeConfig(base, name, host, port, pollInterval, workers, limits, requestTimeout, maxBodyBytes,
        allowUnsafeOps, l, batching, httpThreads);
  }

  public ServeConfig withBatching(BatchingOptions b) {
    return new ServeConfig(base, name, host, port, pollInterval, workers, limits, requestTimeout, maxBodyBytes,
        allowUnsafeOps, labels, b, httpThreads);
  }
}
