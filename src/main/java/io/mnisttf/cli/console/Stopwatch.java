package io.mnisttf.cli.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** Elapsed wall time between laps, and since the JVM started. */
public final class Stopwatch {
  /** Linux's clock ticks per second in /proc ({@code USER_HZ}, 100 on every architecture it runs on here). */
  private static final double USER_HZ = 100;

  private long last = System.nanoTime();

  /** Seconds since the previous lap (or since construction); starts the next lap. */
  public double lap() {
    long now = System.nanoTime();
    double seconds = (now - last) / 1e9;
    last = now;
    return seconds;
  }

  /**
   * Seconds since this JVM process started, to 10 ms: on Linux the process's start and the time since boot, both
   * read from {@code /proc} on the boot clock. Elsewhere the start instant Java reports, which on Linux would be
   * off by up to a second: it adds the start to the boot time of {@code /proc/stat}, given in whole seconds.
   */
  public double sinceJvmStart() {
    try {
      return sinceStart(Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII),
          Files.readString(Path.of("/proc/uptime"), StandardCharsets.US_ASCII));
    } catch (IOException | RuntimeException notLinux) {
      return ProcessHandle.current().info().startInstant()
          .map(start -> Duration.between(start, Instant.now()).toNanos() / 1e9)
          .orElse(Double.NaN);
    }
  }

  /**
   * Seconds from a process's start to now, given its {@code /proc/<pid>/stat} line (the start is field 22, in
   * clock ticks since boot; the command name in field 2 may hold spaces and parentheses) and {@code /proc/uptime}
   * (seconds since boot, first).
   */
  static double sinceStart(String stat, String uptime) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    long startTicks = Long.parseLong(fields[22 - 3]);
    double now = Double.parseDouble(uptime.trim().split(" ")[0]);
    double seconds = now - startTicks / USER_HZ;
    if (!(seconds >= 0)) {
      throw new IllegalArgumentException("process start after now: " + stat);
    }
    return seconds;
  }
}
