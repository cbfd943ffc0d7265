package io.mnisttf.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs this tool's main class in a fresh JVM (same java binary, class path and JVM options as this one), so
 * that a measurement includes JVM start, native library loading and a cold JIT, as a user's run does.
 */
final class JavaProcess {
  /** What a finished child printed, and how long it ran from spawn to exit. */
  record Outcome(int exitCode, List<String> stdout, List<String> stderr, double wallSeconds) {
    /** The last line of standard output (the JSON summary of a --json run). */
    String lastLine() {
      return stdout.isEmpty() ? "" : stdout.get(stdout.size() - 1);
    }
  }

  private final String mainClass;
  private final Map<String, String> environment;

  JavaProcess(String mainClass, Map<String, String> environment) {
    this.mainClass = mainClass;
    this.environment = Map.copyOf(environment);
  }

  /**
   * Runs the child with {@code args} and waits for it; {@code onStderrLine} sees each line of its standard
   * error as it arrives, with the child's pid (for sampling its memory while it runs).
   */
  Outcome run(List<String> args, LineListener onStderrLine) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    long start = System.nanoTime();
    Process process = builder.start();
    List<String> stdout = new ArrayList<>();
    List<String> stderr = new ArrayList<>();
    Thread outReader = drain(process, true, stdout::add);
    Thread errReader = drain(process, false, line -> {
      stderr.add(line);
      onStderrLine.accept(process.pid(), line);
    });
    int code = process.waitFor();
    double wall = (System.nanoTime() - start) / 1e9;
    outReader.join();
    errReader.join();
    return new Outcome(code, stdout, stderr, wall);
  }

  /** Receives a child's standard error line by line. */
  @FunctionalInterface
  interface LineListener {
    void accept(long pid, String line);
  }

  private static Thread drain(Process process, boolean stdout, Consumer<String> sink) {
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(
          stdout ? process.getInputStream() : process.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          synchronized (sink) {
            sink.accept(line);
          }
        }
      } catch (IOException ignored) {
        // the child closed its end
      }
    }, stdout ? "child-stdout" : "child-stderr");
    reader.setDaemon(true);
    reader.start();
    return reader;
  }
}
