package io.mnisttf.train;

import io.mnisttf.data.Augmentation;
import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import io.mnisttf.data.ShuffleBuffer;
import io.mnisttf.model.ModelConfig;
import io.mnisttf.model.TrainingGraph;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * A measuring tool, not a test: trains the default MLP in several ways side by side in one process, one epoch
 * (540 steps of 100, the same order for all) per variant per round, the variants taking turns in rotated order,
 * and prints each variant's epoch times (median, min-max), the load average, and whether each variant's weights
 * are bit-identical to the first variant's after every round. Variants: {@code plain} (the trainer's session) and
 * {@code xla} (XLA auto-clustering on: global_jit_level ON_1 and cpu_global_jit) and {@code remap} (Grappler's
 * remapper back on, which the trainer turns off: it fuses MatMul, BiasAdd and ReLU) and {@code noema} (no moving
 * average of the weights, which the CNN keeps by default); a variant may be named twice.
 * {@code checkedN} is plain plus N calls per step of JavaCPP's resident-size read (what JavaCPP does at each
 * tracked allocation when {@code maxPhysicalBytes} is not 0; run with it 0, so that only these calls are made).
 * {@code intraNinterM}: N intra-op threads and an inter-op pool of M (-1: ops in the calling thread); run with
 * {@code TF_OVERRIDE_GLOBAL_THREADPOOL=1}, or every session gets the first one's pool. Settings read once per
 * process (JavaCPP's, TensorFlow's environment) are compared by alternating processes.
 * {@code -Dstepab.model=cnn} trains the CNN; {@code -Dstepab.steps=N}: N steps per variant per round (540).
 * {@code java -cp ... io.mnisttf.train.StepAB data/mnist rounds variant...}
 */
public final class StepAB {
  /** Steps per variant per round: {@code -Dstepab.steps=N}, at most an epoch (540). */
  private static final int STEPS = Integer.getInteger("stepab.steps", 540);

  private StepAB() {}

  private record Variant(String name, Graph graph, Session session, TrainingGraph net, ResidentData data,
      StepRunner steps, List<Double> seconds, double buildSeconds) {}

  public static void main(String[] args) throws Exception {
    MnistData train = Mnist.loadTrain(Path.of(args[0]));
    int rounds = Integer.parseInt(args[1]);
    MnistData.Split split = train.split(6_000, 42);
    TrainConfig config = TrainConfig.defaults(ModelConfig.Architecture.valueOf(
        System.getProperty("stepab.model", "mlp").toUpperCase(Locale.ROOT)));
    List<Variant> variants = new ArrayList<>();
    for (String name : Arrays.copyOfRange(args, 2, args.length)) {
      boolean xla = name.equals("xla");
      boolean remap = name.equals("remap");
      boolean noAverage = name.equals("noema");
      if (!xla && !remap && !noAverage && !name.equals("plain") && !name.matches("checked\\d+")
          && !name.matches("intra\\d+inter-?\\d+")) {
        throw new IllegalArgumentException("unknown variant " + name
            + ": plain, xla, remap, noema, checkedN or intraNinterM");
      }
      long t0 = System.nanoTime();
      Graph graph = new Graph();
      TrainingGraph net = TrainingGraph.build(graph, config.model(),
          noAverage ? config.adam().withEmaMomentum(0) : config.adam(), config.seed());
      ConfigProto.Builder proto = Trainer.sessionConfig(config.threads()).toBuilder();
      if (name.startsWith("intra")) { // intraNinterM: N intra-op threads, an inter-op pool of M (-1: none)
        String[] nm = name.substring("intra".length()).split("inter");
        proto.setIntraOpParallelismThreads(Integer.parseInt(nm[0]))
            .setInterOpParallelismThreads(Integer.parseInt(nm[1]));
      }
      if (remap) {
        proto.getGraphOptionsBuilder().getRewriteOptionsBuilder().setRemapping(RewriterConfig.Toggle.DEFAULT);
      }
      if (xla) {
        proto.getGraphOptionsBuilder().setOptimizerOptions(OptimizerOptions.newBuilder()
            .setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_1).setCpuGlobalJit(true));
      }
      long built = System.nanoTime();
      Session session = new Session(graph, proto.build());
      session.initialize();
      Trainer.resetAverage(session, net);
      ResidentData data = new ResidentData(session, net, split, Augmentation.NONE, 42, 1);
      data.uploadAll(StagedSplit.of(split));
      StepRunner steps = new StepRunner(session, net, 100, 42);
      long firstRun = System.nanoTime();
      steps.step(Arrays.copyOf(split.trainIndices(), 100), 100, 0); // graph optimisation and executor set-up, then the initial weights

      System.out.printf(Locale.ROOT, "%s: graph built in %.3f s, first run %.3f s, %d nodes%n", name,
          (built - t0) / 1e9, (System.nanoTime() - firstRun) / 1e9, count(graph));
      session.forceInitialize();
      Trainer.resetAverage(session, net);
      variants.add(new Variant(name, graph, session, net, data, steps, new ArrayList<>(),
          (System.nanoTime() - t0) / 1e9));
    }
    String loadBefore = load();
    ShuffleBuffer shuffle = new ShuffleBuffer(10_000, 42);
    int[] trainIndices = split.trainIndices();
    for (int round = 0; round < rounds; round++) {
      int[] order = shuffle.order(trainIndices.length, round);
      int[] indices = new int[order.length];
      for (int i = 0; i < order.length; i++) {
        indices[i] = trainIndices[order[i]];
      }
      for (int v = 0; v < variants.size(); v++) {
        Variant variant = variants.get((v + round) % variants.size());
        long start = System.nanoTime();
        epoch(variant.steps(), indices, round * 540L, checks(variant.name()));
        variant.seconds().add((System.nanoTime() - start) / 1e9);
      }
      WeightSnapshot reference = Weights.snapshot(variants.get(0).session(), variants.get(0).net());
      StringBuilder same = new StringBuilder("round " + (round + 1) + " bit-identical to " + variants.get(0).name()
          + ":");
      for (Variant v : variants.subList(1, variants.size())) {
        same.append(' ').append(v.name()).append('=')
            .append(identical(reference, Weights.snapshot(v.session(), v.net())));
      }
      System.out.println(same);
    }
    System.out.println("load average before: " + loadBefore + ", after: " + load());
    for (Variant v : variants) {
      double[] s = v.seconds().stream().mapToDouble(Double::doubleValue).sorted().toArray();
      System.out.printf(Locale.ROOT, "%-6s epoch s: median %.3f  min %.3f  max %.3f  (%.1f us/step; build+warm %.2f s)%n",
          v.name(), s[s.length / 2], s[0], s[s.length - 1], s[s.length / 2] / Math.min(STEPS, 540) * 1e6, v.buildSeconds());
    }
    for (Variant v : variants.subList(1, variants.size())) {
      double[] ratios = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        ratios[r] = v.seconds().get(r) / variants.get(0).seconds().get(r);
      }
      Arrays.sort(ratios);
      System.out.printf(Locale.ROOT, "%s / %s, same round: median %.3f  min %.3f  max %.3f%n", v.name(),
          variants.get(0).name(), ratios[rounds / 2], ratios[0], ratios[rounds - 1]);
    }
    for (Variant v : variants) {
      v.steps().close();
      v.data().close();
      v.session().close();
      v.graph().close();
    }
  }

  private static void epoch(StepRunner steps, int[] indices, long firstStep, int checks) {
    for (int step = 0; step < Math.min(STEPS, indices.length / 100); step++) {
      for (int c = 0; c < checks; c++) {
        org.bytedeco.javacpp.Pointer.physicalBytesInaccurate(Long.MAX_VALUE);
      }
      steps.step(Arrays.copyOfRange(indices, step * 100, (step + 1) * 100), 100, firstStep + step);
    }
  }

  private static int checks(String variant) {
    return variant.startsWith("checked") ? Integer.parseInt(variant.substring("checked".length())) : 0;
  }

  private static int count(Graph graph) {
    int n = 0;
    for (var it = graph.operations(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }

  private static boolean identical(WeightSnapshot a, WeightSnapshot b) {
    return Arrays.deepEquals(toArrays(a), toArrays(b));
  }

  private static Object[] toArrays(WeightSnapshot s) {
    return s.values().stream().map(x -> (Object) x).toArray();
  }

  private static String load() {
    return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }
}
