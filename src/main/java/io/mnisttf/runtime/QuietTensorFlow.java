package io.mnisttf.runtime;

import com.sun.jna.Platform;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;

/**
 * Loads TensorFlow's native library without the log lines it writes to standard error on its own.
 *
 * <p>TensorFlow 2.18 logs through two systems. Its own reads {@code TF_CPP_MIN_LOG_LEVEL} from the process
 * environment when it first logs: this sets it to 2 (errors only) in the native environment before the library
 * loads, unless the user set it. The other is the copy of absl logging linked into {@code libtensorflow_cc},
 * which reads no environment variable and no setting TF Java can reach (its symbols are hidden;
 * {@code TF_InitMain} is a no-op): before {@code absl::InitializeLog()}, which nothing calls, it writes every
 * message to standard error. It writes two lines per process, once each, at the first session run:
 * {@code WARNING: All log messages before absl::InitializeLog() ...} and {@code I0000 ... MLIR V1 optimization
 * pass is not enabled}. So {@link #start} points file descriptor 2 at a temporary file, loads the library and
 * runs one tiny session on a background thread, then points it back and passes on everything captured except
 * TensorFlow's INFO and WARNING lines: Java's own standard error of that second is delayed, not lost.
 *
 * <p>Only where the C library can be called (Linux, macOS), and only when {@code TF_CPP_MIN_LOG_LEVEL} is unset
 * or at least 2: a user who asks for TensorFlow's INFO lines gets them. Anything that fails here leaves standard
 * error as it was.
 */
public final class QuietTensorFlow {
  /** What is dropped from the captured output: absl's banner and INFO/WARNING lines, and TensorFlow's. */
  private static final Pattern NOISE = Pattern.compile("WARNING: All log messages before absl::InitializeLog\\(\\)"
      + " is called are written to STDERR|[IW]\\d{4} \\d\\d:\\d\\d:\\d+\\.\\d+ .*"
      + "|\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+: [IW] .*|To enable the following instructions: .*");
  private static final int STDERR = 2;

  private static Capture capture;
  private static boolean started;

  private QuietTensorFlow() {}

  /** Standard error going to a temporary file, and the descriptor that points back at the real one. */
  private record Capture(LibC libc, int savedStderr, Path file) {}

  /**
   * Starts loading TensorFlow on a background thread, quietly; returns at once. Call it before anything else
   * touches TensorFlow (first thing in {@code main}): any TensorFlow use meanwhile is quiet too.
   */
  public static synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    String level = System.getenv("TF_CPP_MIN_LOG_LEVEL");
    if ((level == null || level.compareTo("2") >= 0) && (Platform.isLinux() || Platform.isMac())) {
      try {
        LibC libc = LibC.load();
        if (level == null) {
          libc.setenv("TF_CPP_MIN_LOG_LEVEL", "2", 0);
        }
        capture = redirect(libc);
        Runtime.getRuntime().addShutdownHook(new Thread(QuietTensorFlow::release, "quiet-tensorflow-release"));
      } catch (LinkageError | RuntimeException e) {
        capture = null; // no C library access: TensorFlow logs as it would
      }
    }
    Thread loader = new Thread(() -> {
      try {
        firstSessionRun();
      } finally {
        release();
      }
    }, "tensorflow-load");
    loader.setDaemon(true);
    loader.start();
  }

  private static Capture redirect(LibC libc) {
    byte[] template = (Path.of(System.getProperty("java.io.tmpdir"), "mnist-tf-java-stderr-XXXXXX") + "\0")
        .getBytes(StandardCharsets.UTF_8);
    int file = libc.mkstemp(template);
    if (file < 0) {
      return null;
    }
    Path path = Path.of(new String(template, 0, template.length - 1, StandardCharsets.UTF_8));
    int saved = libc.dup(STDERR);
    System.err.flush();
    if (saved < 0 || libc.dup2(file, STDERR) < 0) {
      libc.close(file);
      if (saved >= 0) {
        libc.close(saved);
      }
      deleteQuietly(path);
      return null;
    }
    libc.close(file);
    return new Capture(libc, saved, path);
  }

  /** Loads the library and runs a session once, which is when the absl lines are written. */
  private static void firstSessionRun() {
    TensorFlow.version();
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      try (Result out = session.runner().fetch(tf.constant(0f)).run()) {
        out.size();
      }
    }
  }

  /**
   * Points standard error back at the real one and passes on what was captured, without TensorFlow's INFO and
   * WARNING lines; later calls do nothing. Called when the first session has run, when the process exits, and
   * before quitting at once.
   */
  public static synchronized void release() {
    Capture c = capture;
    if (c == null) {
      return;
    }
    capture = null;
    System.err.flush();
    c.libc().dup2(c.savedStderr(), STDERR);
    c.libc().close(c.savedStderr());
    try {
      String kept = Files.readAllLines(c.file(), StandardCharsets.ISO_8859_1).stream()
          .filter(line -> !NOISE.matcher(line).matches()).map(line -> line + System.lineSeparator())
          .collect(Collectors.joining());
      if (!kept.isEmpty()) {
        PrintStream err = System.err;
        err.write(kept.getBytes(StandardCharsets.ISO_8859_1));
        err.flush();
      }
    } catch (IOException e) {
      // the captured output is gone; nothing better to do than to go on
    } finally {
      deleteQuietly(c.file());
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a stray file in the temporary folder
    }
  }
}
