package io.mnisttf.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded load on one URL: {@code clients} threads, each with its own keep-alive connection, send
 * {@code requestsPerClient} POSTs one after the other (cycling through the given bodies), all starting together;
 * the report has the requests per second over the whole run and the latency percentiles. Only for servers on
 * this machine (the URL is the caller's; {@code serve --benchmark} uses its own loopback server).
 */
public final class LoadBenchmark {
  private LoadBenchmark() {}

  /**
   * What a run measured.
   *
   * @param errors requests that did not get a 200 (or failed on the connection)
   * @param firstError the first such failure, or {@code null}
   */
  public record Report(int clients, int requests, int errors, String firstError, double seconds,
      double requestsPerSecond, double p50Millis, double p99Millis, double maxMillis) {}

  /** Runs the load and reports it. */
  public static Report run(URI url, List<byte[]> bodies, int clients, int requestsPerClient)
      throws InterruptedException {
    long[][] latencies = new long[clients][requestsPerClient];
    AtomicInteger errors = new AtomicInteger();
    String[] firstError = new String[1];
    CountDownLatch ready = new CountDownLatch(clients);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread t = new Thread(() -> {
        ready.countDown();
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < requestsPerClient; i++) {
          byte[] body = bodies.get((client * requestsPerClient + i) % bodies.size());
          long start = System.nanoTime();
          String problem = post(url, body);
          latencies[client][i] = System.nanoTime() - start;
          if (problem != null) {
            errors.incrementAndGet();
            synchronized (firstError) {
              if (firstError[0] == null) {
                firstError[0] = problem;
              }
            }
          }
        }
      }, "load-client-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    ready.await();
    long start = System.nanoTime();
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
    int n = all.length;
    return new Report(clients, n, errors.get(), firstError[0], seconds, n / seconds,
        percentile(all, 0.50) / 1e6, percentile(all, 0.99) / 1e6, all[n - 1] / 1e6);
  }

  /** The nearest-rank percentile of sorted values. */
  static long percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** One POST; {@code null} when it got a 200, else what went wrong. */
  private static String post(URI url, byte[] body) {
    try {
      HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setConnectTimeout(10_000);
      c.setReadTimeout(120_000);
      c.setRequestProperty("Content-Type", "application/json");
      c.setFixedLengthStreamingMode(body.length);
      try (OutputStream out = c.getOutputStream()) {
        out.write(body);
      }
      int status = c.getResponseCode();
      try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
        byte[] answer = in == null ? new byte[0] : in.readAllBytes();
        return status == 200 ? null : "HTTP " + status + ": " + new String(answer, java.nio.charset.StandardCharsets.UTF_8).strip();
      }
    } catch (IOException e) {
      return e.toString();
    }
  }
}
