package io.mnisttf.savedmodel.internal.worker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Captures the worker's standard error (TensorFlow's C++ log, the JVM's crash report) on a thread of its own:
 * keeps the last {@value #KEPT_LINES} lines and the first meaningful one (a {@code Check failed: ...}, an
 * {@code INVALID_ARGUMENT: ...}, {@code std::bad_alloc}, ...) for the one-line error, and passes every line
 * to a sink ({@code --verbose} shows them; otherwise the user sees none).
 */
public final class WorkerStderr {
  public static final int KEPT_LINES = 200;
  /** Longest line kept (a dumped protocol buffer can be megabytes on one line). */
  public static final int MAX_LINE = 300;

  /** What makes a line meaningful, most telling first. */
  private static final List<Pattern> MEANINGFUL = List.of(
      Pattern.compile("(Check failed: .*)"),
      Pattern.compile("(std::bad_alloc|std::length_error|std::[a-z_]+_error)"),
      Pattern.compile("((?:INVALID_ARGUMENT|RESOURCE_EXHAUSTED|FAILED_PRECONDITION|OUT_OF_RANGE|INTERNAL"
          + "|UNIMPLEMENTED|NOT_FOUND|DATA_LOSS|ABORTED):.*)"),
      Pattern.compile("(java\\.lang\\.(?:OutOfMemoryError|StackOverflowError).*)"),
      Pattern.compile("\\] (.*(?:[Ee]rror|[Ff]ailed|[Ii]nvalid).*)"));
  /** The JVM's fatal-error report names the signal it caught: {@code #  SIGSEGV (0xb) at pc=...}. */
  private static final Pattern JVM_SIGNAL = Pattern.compile("^#\\s+(SIG[A-Z]+) \\(0x[0-9a-f]+\\)");
  private static final Pattern JVM_FRAME = Pattern.compile("^#\\s+(?:C|V|J|j)\\s+\\[(.*)\\]");

  private final Deque<String> last = new ArrayDeque<>();
  private final Thread reader;
  private String meaningful;
  private int meaningfulRank = Integer.MAX_VALUE;
  private String jvmSignal;
  private String jvmFrame;
  private long lines;
  private boolean inCrashReport;

  private Consumer<String> sink = line -> { };

  public WorkerStderr(InputStream stderr) {
    reader = new Thread(() -> pump(stderr), "model-worker-stderr");
    reader.setDaemon(true);
    reader.start();
  }

  /** From now on every line goes to {@code sink}; the lines kept so far go there first. */
  public synchronized void sendTo(Consumer<String> newSink) {
    last.forEach(newSink);
    sink = newSink;
  }

  private void pump(InputStream stderr) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        String kept = line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "..." : line;
        record(kept);
      }
    } catch (IOException closed) {
      // the worker is gone
    }
  }

  private synchronized void record(String line) {
    sink.accept(line);
    lines++;
    last.addLast(line);
    if (last.size() > KEPT_LINES) {
      last.removeFirst();
    }
    if (line.contains("A fatal error has been detected by the Java Runtime Environment")) {
      inCrashReport = true; // its lines name everything; keep only its signal and frame
    }
    Matcher signal = JVM_SIGNAL.matcher(line);
    if (inCrashReport && jvmSignal == null && signal.find()) {
      jvmSignal = signal.group(1);
    }
    Matcher frame = JVM_FRAME.matcher(line);
    if (inCrashReport && jvmFrame == null && frame.find()) {
      jvmFrame = frame.group(1).strip();
    }
    for (int rank = 0; !inCrashReport && rank < MEANINGFUL.size() && rank < meaningfulRank; rank++) {
      Matcher m = MEANINGFUL.get(rank).matcher(line);
      if (m.find()) {
        meaningful = m.group(1).strip();
        meaningfulRank = rank;
        break;
      }
    }
  }

  /** Waits (at most {@code millis}) for the worker's standard error to end, after the worker exited. */
  public void awaitEnd(long millis) throws InterruptedException {
    reader.join(millis);
  }

  /** The most telling line seen so far, or {@code null}. */
  public synchronized String meaningful() {
    return meaningful;
  }

  /** The signal the JVM's crash report names ({@code SIGSEGV}, ...), or {@code null}. */
  public synchronized String jvmSignal() {
    return jvmSignal;
  }

  /** The crashing frame the JVM's crash report names, or {@code null}. */
  public synchronized String jvmFrame() {
    return jvmFrame;
  }

  /** The last lines kept, oldest first. */
  public synchronized List<String> lastLines() {
    return List.copyOf(last);
  }

  /** Lines seen. */
  public synchronized long lineCount() {
    return lines;
  }
}
