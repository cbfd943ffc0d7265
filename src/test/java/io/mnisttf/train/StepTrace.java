package io.mnisttf.train;

import io.mnisttf.data.Augmentation;
import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import io.mnisttf.model.ModelConfig;
import io.mnisttf.model.TrainingGraph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A measuring tool, not a test: where one steady training step of the default MLP (or CNN) spends its time.
 * Runs warm-up steps, then alternates untraced steps (timed from Java) with steps traced by TensorFlow
 * ({@code FULL_TRACE}, {@code RunMetadata.step_stats}), and prints per op type the kernel time per step, and the step's wall time split
 * into kernel time, executor time between kernels and the rest (JNI, feed, fetch). Run with the test class path:
 * {@code java -cp target/classes:target/test-classes:<deps> io.mnisttf.train.StepTrace data/mnist [steps]}, with
 * {@code TF_OVERRIDE_GLOBAL_THREADPOOL=1} as the tool runs. {@code -Dsteptrace.model=cnn} traces the CNN;
 * {@code -Dsteptrace.sharedPool=true} first runs a session with the default options, so that, without the
 * variable, the step runs on that session's pool as the tool's did before {@code SessionThreads}.
 */
public final class StepTrace {
  private StepTrace() {}

  public static void main(String[] args) throws Exception {
    MnistData train = Mnist.loadTrain(Path.of(args.length > 0 ? args[0] : "data/mnist"));
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    MnistData.Split split = train.split(6_000, 42);
    TrainConfig config = TrainConfig.defaults(ModelConfig.Architecture.valueOf(
        System.getProperty("steptrace.model", "mlp").toUpperCase(java.util.Locale.ROOT)));
    if (Boolean.getBoolean("steptrace.sharedPool")) {
      defaultSession(); // as the tool started before SessionThreads: this session's pool (2 threads) for all
    }
    try (Graph graph = new Graph()) {
      TrainingGraph net = TrainingGraph.build(graph, config.model(), config.adam(), config.seed());
      try (Session session = new Session(graph, Trainer.sessionConfig(config.threads()))) {
        session.initialize();
        Trainer.resetAverage(session, net);
        try (ResidentData resident = new ResidentData(session, net, split, Augmentation.NONE, 42, 1);
            TInt32 batch = TInt32.tensorOf(Shape.of(100));
            TInt64 seed = TInt64.vectorOf(42, 0)) {
          resident.uploadAll(StagedSplit.of(split));
          SplittableRandom random = new SplittableRandom(1);
          int[] idx = new int[100];
          RunOptions trace = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
          Map<String, long[]> byType = new HashMap<>(); // type -> {total micros, count}
          List<Long> plainNanos = new ArrayList<>();
          List<Long> tracedNanos = new ArrayList<>();
          long kernelMicros = 0;
          long spanMicros = 0;
          int traced = 0;
          int nodes = 0;
          for (int s = 0; s < 200 + 2 * steps; s++) {
            for (int k = 0; k < 100; k++) {
              idx[k] = split.trainIndices()[random.nextInt(split.trainIndices().length)];
            }
            batch.asRawTensor().data().asInts().write(idx);
            boolean doTrace = s >= 200 && s % 2 == 1;
            Session.Runner runner = session.runner().feed(net.batch(), batch).addTarget(net.trainOp())
                .fetch(net.step().lossAndAccuracy());
            if (net.stepSeed() != null) {
              runner.feed(net.stepSeed(), seed);
            }
            long t0 = System.nanoTime();
            if (doTrace) {
              runner.setOptions(trace);
              try (Result r = runner.runAndFetchMetadata()) {
                long t = System.nanoTime() - t0;
                tracedNanos.add(t);
                RunMetadata md = r.getMetadata().orElseThrow();
                long first = Long.MAX_VALUE;
                long last = 0;
                nodes = 0;
                for (DeviceStepStats dev : md.getStepStats().getDevStatsList()) {
                  for (NodeExecStats n : dev.getNodeStatsList()) {
                    String type = n.getTimelineLabel().contains("=") ? opType(n.getTimelineLabel())
                        : n.getNodeName();
                    long micros = n.getOpEndRelMicros() - n.getOpStartRelMicros();
                    long[] acc = byType.computeIfAbsent(type, x -> new long[2]);
                    acc[0] += micros;
                    acc[1]++;
                    kernelMicros += micros;
                    first = Math.min(first, n.getAllStartMicros());
                    last = Math.max(last, n.getAllStartMicros() + n.getAllEndRelMicros());
                    nodes++;
                  }
                }
                spanMicros += last - first;
                traced++;
              }
            } else {
              try (Result r = runner.run()) {
                if (s >= 200) {
                  plainNanos.add(System.nanoTime() - t0);
                }
              }
            }
          }
          plainNanos.sort(null);
          tracedNanos.sort(null);
          System.out.printf(Locale.ROOT, "nodes traced per step: %d%n", nodes);
          System.out.printf(Locale.ROOT, "untraced step (Java wall): median %.1f us, min %.1f, max %.1f%n",
              plainNanos.get(plainNanos.size() / 2) / 1e3, plainNanos.get(0) / 1e3,
              plainNanos.get(plainNanos.size() - 1) / 1e3);
          System.out.printf(Locale.ROOT, "traced step (Java wall): median %.1f us%n",
              tracedNanos.get(tracedNanos.size() / 2) / 1e3);
          System.out.printf(Locale.ROOT, "traced: kernels %.1f us/step, executor span first..last %.1f us/step%n",
              kernelMicros / (double) traced, spanMicros / (double) traced);
          double perStep = traced;
          byType.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
              .forEach(e -> System.out.printf(Locale.ROOT, "  %-32s %7.1f us/step  %5.1f nodes/step%n", e.getKey(),
                  e.getValue()[0] / perStep, e.getValue()[1] / perStep));
        }
      }
    }
  }

  /** "name = Type(args)" -> "Type". */
  private static String opType(String label) {
    String rest = label.substring(label.indexOf('=') + 1).trim();
    int paren = rest.indexOf('(');
    return paren > 0 ? rest.substring(0, paren) : rest;
  }

  /**
   * A session with the default options, run once: without {@code TF_OVERRIDE_GLOBAL_THREADPOOL=1}, the first
   * session sizes one intra-op pool that every later session of the process shares.
   */
  private static void defaultSession() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      try (Result r = s.runner().fetch(org.tensorflow.op.Ops.create(g).constant(0f)).run()) {
        r.size();
      }
    }
  }
}
