package io.mnisttf.process;

import io.mnisttf.testing.ChildJava;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The tool's main class running in a separate JVM, for tests that send it signals or race two of them. */
final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();
  private final Thread[] readers = new Thread[2];
  /** Whether standard output [0] and standard error [1] have ended; guarded by this. */
  private final boolean[] ended = new boolean[2];

  private ChildJvm(Process process) {
    this.process = process;
    readers[0] = pump(process, true, stdout);
    readers[1] = pump(process, false, stderr);
  }

  /**
   * Starts the main class with the JVM options the launcher and {@code mvn exec:exec} give it (the pom's
   * {@code jvm.args}, passed by Surefire as {@code mnisttf.jvmArgs}; the serial collector alone when run
   * without it): the child runs as users run the tool, and the C1-only compiler costs about a third less CPU
   * than the default tiered one for these short runs.
   */
  static ChildJvm start(String... args) throws IOException {
    return startWith(List.of(), args);
  }

  /** The launcher's JVM options ({@link #start}). */
  static List<String> launcherOptions() {
    String options = System.getProperty("mnisttf.jvmArgs", "-XX:+UseSerialGC").strip();
    return List.of(options.split("\\s+"));
  }

  /** Starts the main class with the launcher's JVM options followed by these (which override them). */
  static ChildJvm startWith(List<String> jvmOptions, String... args) throws IOException {
    List<String> options = new ArrayList<>(launcherOptions());
    options.addAll(jvmOptions);
    ProcessBuilder builder = new ProcessBuilder(ChildJava.command(options, "io.mnisttf.cli.Main", args));
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    return new ChildJvm(builder.start());
  }

  long pid() {
    return process.pid();
  }

  /** Sends a signal (INT, TERM, KILL) with the system's kill command. */
  void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /**
   * Waits until a line of standard error matches (any line so far, checked from the first), or fails when
   * standard error ends or after {@code timeout}, a guard against a hang.
   */
  synchronized String awaitStderr(Predicate<String> match, Duration timeout) throws InterruptedException {
    return await(stderr, 1, match, timeout);
  }

  /** {@link #awaitStderr} for standard output. */
  synchronized String awaitStdout(Predicate<String> match, Duration timeout) throws InterruptedException {
    return await(stdout, 0, match, timeout);
  }

  private String await(List<String> lines, int stream, Predicate<String> match, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int checked = 0;
    while (true) {
      for (; checked < lines.size(); checked++) {
        if (match.test(lines.get(checked))) {
          return lines.get(checked);
        }
      }
      long left = deadline - System.nanoTime();
      if (ended[stream] || left <= 0) {
        break;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left); // woken by each new line and by the end of the stream
    }
    throw new AssertionError("no matching line on " + (stream == 0 ? "stdout" : "stderr") + " within " + timeout
        + ":\n" + this);
  }

  /** Sends SIGKILL directly (no {@code kill} process to start first: it lands sooner). */
  void kill() {
    process.destroyForcibly();
  }

  /** Waits for the exit and returns the exit code; fails after {@code timeout}. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("still running after " + timeout + ":\n" + String.join("\n", stderr));
    }
    for (Thread reader : readers) {
      reader.join(5_000);
    }
    return process.exitValue();
  }

  /** Completes when the process has exited. */
  java.util.concurrent.CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  List<String> stdout() {
    return List.copyOf(stdout);
  }

  List<String> stderr() {
    return List.copyOf(stderr);
  }

  String lastStdoutLine() {
    return stdout.isEmpty() ? "" : stdout.get(stdout.size() - 1);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  @Override
  public String toString() {
    return "pid " + process.pid() + "\n--- stdout\n" + String.join("\n", stdout) + "\n--- stderr\n"
        + String.join("\n", stderr);
  }

  private Thread pump(Process process, boolean out, List<String> sink) {
    Thread t = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(
          out ? process.getInputStream() : process.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          synchronized (this) {
            sink.add(line);
            notifyAll();
          }
        }
      } catch (IOException closed) {
        // the process ended
      } finally {
        synchronized (this) {
          ended[out ? 0 : 1] = true;
          notifyAll();
        }
      }
    });
    t.setDaemon(true);
    t.start();
    return t;
  }
}
