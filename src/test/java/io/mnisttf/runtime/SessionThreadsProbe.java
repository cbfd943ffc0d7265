package io.mnisttf.runtime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;

/**
 * Run by {@link SessionThreadsTest} in a JVM of its own: calls {@link SessionThreads#apply} when asked, runs a
 * session with the default options first (as the tool's quiet start does), then one asking for 3 intra-op threads,
 * and prints how many native threads that second session added (TensorFlow's threads keep the process's name).
 */
public final class SessionThreadsProbe {
  private SessionThreadsProbe() {}

  public static void main(String[] args) throws IOException {
    if (args.length > 0 && args[0].equals("apply")) {
      SessionThreads.apply();
    }
    try (Graph first = new Graph(); Session defaults = new Session(first)) {
      runOnce(first, defaults);
      int before = nativeThreads();
      try (Graph second = new Graph(); Session three = new Session(second, ConfigProto.newBuilder()
          .setIntraOpParallelismThreads(3).setInterOpParallelismThreads(-1).build())) {
        runOnce(second, three);
        System.out.println(nativeThreads() - before);
      }
    }
  }

  private static void runOnce(Graph graph, Session session) {
    Ops tf = Ops.create(graph);
    try (Result out = session.runner().fetch(tf.math.add(tf.constant(1f), tf.constant(2f))).run()) {
      out.size();
    }
  }

  /** Threads of this process whose name is the process's own (Java names the threads it starts). */
  private static int nativeThreads() throws IOException {
    String process = Files.readString(Path.of("/proc/self/comm")).strip();
    int n = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        if (Files.readString(task.resolve("comm")).strip().equals(process)) {
          n++;
        }
      }
    }
    return n;
  }
}
