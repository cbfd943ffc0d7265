package io.mnisttf.serve;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A TensorFlow Serving-compatible model server in this JVM: the versions of one model base path
 * ({@link ModelVersions}), each run in model worker processes ({@link WorkerServable}), behind TF Serving's REST
 * API ({@link RestApi}) and a drawing page, on the JDK's HTTP server ({@link HttpFront}). A client written
 * against it works unchanged against TensorFlow Serving.
 *
 * <pre>{@code
 * try (ModelServer server = ModelServer.start(ServeConfig.defaults(Path.of("saved-models/mnist")),
 *     System.err::println, line -> { })) {
 *   // POST http://127.0.0.1:8501/v1/models/mnist:predict
 * }
 * }</pre>
 */
public final class ModelServer implements AutoCloseable {
  private final ServeConfig config;
  private final ModelVersions versions;
  private final HttpFront http;
  private final Consumer<String> log;
  private boolean closed;

  private ModelServer(ServeConfig config, ModelVersions versions, HttpFront http, Consumer<String> log) {
    this.config = config;
    this.versions = versions;
    this.http = http;
    this.log = log;
  }

  /**
   * Starts listening, then loads the model's current version in worker processes; returns when it is served.
   *
   * @param log receives the server's lines: versions loaded, switched, failed; workers replaced
   * @param workerLog receives the model workers' standard error lines (TensorFlow's log)
   * @throws ServingException when the base path has no version or the version fails to load
   * @throws IOException when the address cannot be bound
   */
  public static ModelServer start(ServeConfig config, Consumer<String> log, Consumer<String> workerLog)
      throws ServingException, IOException {
    WorkerServable.Options options = new WorkerServable.Options(config.workers(), config.limits(),
        config.requestTimeout(), config.allowUnsafeOps(), log, workerLog);
    ServableLoader loader = (dir, version) -> {
      Servable servable = WorkerServable.start(dir, options);
      return config.batching() == null ? servable
          : new BatchingServable(servable, config.batching(), config.workers());
    };
    return start(config, loader, log);
  }

  /** {@link #start(ServeConfig, Consumer, Consumer)} with another way to load versions (tests give fakes). */
  public static ModelServer start(ServeConfig config, ServableLoader loader, Consumer<String> log)
      throws ServingException, IOException {
    ModelVersions versions = new ModelVersions(config.name(), config.base(), loader, config.pollInterval(),
        config.requestTimeout().plusSeconds(1), log);
    RestApi api = new RestApi(Map.of(config.name(), versions), Map.of(config.name(), config.labels()));
    // Bound first, so that a port in use fails at once; until the first version is ready, requests get
    // TF Serving's not-found answer and the status says LOADING.
    HttpFront http = HttpFront.start(config.host(), config.port(), api, config.maxBodyBytes(), config.httpThreads(),
        config.name());
    try {
      versions.start();
      return new ModelServer(config, versions, http, log);
    } catch (ServingException | RuntimeException e) {
      http.stop(0);
      versions.close();
      throw e;
    }
  }

  /** The port listened on. */
  public int port() {
    return http.port();
  }

  /** {@code http://host:port/}. */
  public URI uri() {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /** Waits until {@link #close} has started refusing new requests (for tests). */
  void awaitDraining() throws InterruptedException {
    http.awaitDraining();
  }

  /** The model's versions. */
  public ModelVersions versions() {
    return versions;
  }

  public ServeConfig config() {
    return config;
  }

  /**
   * Stops: new requests are answered 503, those in flight finish (within the request time limit), then the HTTP
   * server and every model worker are closed. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    int abandoned = http.stop(config.requestTimeout().toMillis() + 1000);
    if (abandoned > 0) {
      log.accept("warning: stopped with " + abandoned + " request(s) still running");
    }
    versions.close();
  }
}
