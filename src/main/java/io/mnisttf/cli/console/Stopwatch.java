package io.mnisttf.cli.console;

import java.time.Duration;
import java.time.Instant;

/** Elapsed wall time between laps, and since the JVM started. */
public final class Stopwatch {
  private long last = System.nanoTime();

  /** Seconds since the previous lap (or since construction); starts the next lap. */
  public double lap() {
    long now = System.nanoTime();
    double seconds = (now - last) / 1e9;
    last = now;
    return seconds;
  }

  /** Seconds since this JVM process started (to the resolution the OS reports, 10 ms on Linux). */
  public double sinceJvmStart() {
    return ProcessHandle.current().info().startInstant()
        .map(start -> Duration.between(start, Instant.now()).toNanos() / 1e9)
        .orElse(Double.NaN);
  }
}
