package io.mnisttf.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mnisttf.serve.json.PrettyJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side of the server, on the JDK's {@code com.sun.net.httpserver.HttpServer}: the REST API
 * ({@link RestApi}) under {@code /v1/}, the drawing page and its files from the jar
 * ({@code io/mnisttf/serve/page/}) at {@code /}, and {@code /config.json}, which names the model for the page. Bodies larger than the limit are refused (413) without being
 * read. {@link #stop} answers new requests 503, waits for the requests in flight, then closes the server (the JDK
 * server's own {@code stop(delay)} waits the whole delay on Java 17 even when no request is in flight,
 * JDK-8304065).
 *
 * <p>Responses go out with {@code TCP_NODELAY}: without it the JDK server's separate writes of headers and body
 * meet the client's delayed acknowledgement, and each keep-alive request waits about 40 ms (measured: 341
 * requests/s instead of 2 200 - 3 000 with 16 clients).
 */
final class HttpFront {
  private static final Map<String, String> PAGE = Map.of(
      "/", "index.html", "/index.html", "index.html", "/app.js", "app.js", "/style.css", "style.css");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

  private final HttpServer server;
  private final ExecutorService executor;
  private final RestApi api;
  private final long maxBodyBytes;
  private final byte[] pageConfig;
  /**
   * Kilobytes of request bodies being decoded at once: a JSON body takes about 25 times its size as parsed values
   * (a two-byte {@code 0,} becomes an object), so at most four bodies of the maximum size are decoded together.
   */
  private final java.util.concurrent.Semaphore bodyBudget;
  private final Object inFlightLock = new Object();
  private int inFlight;
  private volatile boolean draining;
  private final java.util.concurrent.CountDownLatch drainingStarted = new java.util.concurrent.CountDownLatch(1);

  private HttpFront(HttpServer server, ExecutorService executor, RestApi api, long maxBodyBytes, String model) {
    this.server = server;
    this.executor = executor;
    this.api = api;
    this.maxBodyBytes = maxBodyBytes;
    this.bodyBudget = new java.util.concurrent.Semaphore((int) Math.min(Integer.MAX_VALUE, 4 * (maxBodyBytes / 1024 + 1)));
    StringBuilder config = new StringBuilder("{\"model\": ");
    PrettyJson.quote(config, model);
    this.pageConfig = config.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Binds and starts the server.
   *
   * @param port the port, or 0 for a free one ({@link #port} tells which)
   * @param threads request threads (requests wait on the model workers, so more threads than cores)
   * @param model the model the page uses ({@code /config.json} names it)
   */
  static HttpFront start(String host, int port, RestApi api, long maxBodyBytes, int threads, String model)
      throws IOException {
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true"); // read once, when the JDK server first starts
    }
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 256);
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "serve-http-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    HttpFront front = new HttpFront(server, executor, api, maxBodyBytes, model);
    server.createContext("/", front::handle);
    server.setExecutor(executor);
    server.start();
    return front;
  }

  /** Waits until {@link #stop} has started refusing new requests (for tests). */
  void awaitDraining() throws InterruptedException {
    drainingStarted.await();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    synchronized (inFlightLock) {
      inFlight++;
    }
    try {
      if (draining) {
        exchange.getResponseHeaders().set("Connection", "close");
        send(exchange, RestApi.error(new ServingException(Code.UNAVAILABLE, "the server is shutting down")), 0);
        exchange.close();
        return;
      }
      serve(exchange);
    } finally {
      synchronized (inFlightLock) {
        if (--inFlight == 0) {
          inFlightLock.notifyAll();
        }
      }
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      String method = exchange.getRequestMethod();
      if (RestApi.handles(path)) {
        byte[] body = readBody(exchange);
        if (body == null) {
          exchange.getResponseHeaders().set("Connection", "close");
          send(exchange, RestApi.error(new ServingException(Code.RESOURCE_EXHAUSTED, "request body of "
              + describeLength(exchange) + " is over the limit of " + maxBodyBytes + " bytes")), 413);
          return;
        }
        int kilobytes = body.length / 1024 + 1;
        bodyBudget.acquireUninterruptibly(kilobytes);
        try {
          send(exchange, api.handle(method, path, body), 0);
        } finally {
          bodyBudget.release(kilobytes);
        }
        return;
      }
      if (path.equals("/config.json") && method.equals("GET")) {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, pageConfig.length);
        exchange.getResponseBody().write(pageConfig);
        return;
      }
      String file = PAGE.get(path);
      if (file != null && (method.equals("GET") || method.equals("HEAD"))) {
        page(exchange, file, method.equals("HEAD"));
        return;
      }
      exchange.getRequestBody().readAllBytes();
      byte[] notFound = "Not Found\n".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(404, notFound.length);
      exchange.getResponseBody().write(notFound);
    }
  }

  private static String describeLength(HttpExchange exchange) {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    return declared != null ? declared + " bytes" : "more bytes";
  }

  /** The body, or {@code null} when it is over the limit (then it is not read). */
  private byte[] readBody(HttpExchange exchange) throws IOException {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.trim()) > maxBodyBytes) {
          return null;
        }
      } catch (NumberFormatException e) {
        return null;
      }
    }
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
      return body.length > maxBodyBytes ? null : body;
    }
  }

  private static void send(HttpExchange exchange, RestApi.Response response, int status) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", response.contentType());
    exchange.sendResponseHeaders(status != 0 ? status : response.status(), response.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(response.body());
    }
  }

  private static void page(HttpExchange exchange, String file, boolean head) throws IOException {
    byte[] content;
    try (InputStream in = HttpFront.class.getResourceAsStream("page/" + file)) {
      if (in == null) {
        throw new IOException("page file missing from the jar: " + file);
      }
      content = in.readAllBytes();
    }
    exchange.getResponseHeaders().set("Content-Type", TYPES.get(file.substring(file.lastIndexOf('.') + 1)));
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    if (head) {
      exchange.sendResponseHeaders(200, -1);
      return;
    }
    exchange.sendResponseHeaders(200, content.length);
    exchange.getResponseBody().write(content);
  }

  /**
   * Answers new requests 503 from now on, waits for the requests in flight (at most {@code drainMillis}), then
   * closes the server and its connections.
   *
   * @return the number of requests still in flight when it stopped waiting (0 normally)
   */
  int stop(long drainMillis) {
    draining = true;
    drainingStarted.countDown();
    int left;
    long deadline = System.nanoTime() + drainMillis * 1_000_000;
    synchronized (inFlightLock) {
      while (inFlight > 0) {
        long wait = (deadline - System.nanoTime()) / 1_000_000;
        if (wait <= 0) {
          break;
        }
        try {
          inFlightLock.wait(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      left = inFlight;
    }
    server.stop(0);
    executor.shutdownNow();
    return left;
  }
}
