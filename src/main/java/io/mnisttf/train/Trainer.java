package io.mnisttf.train;

import io.mnisttf.data.Augmentation;
import io.mnisttf.data.MnistData;
import io.mnisttf.data.ShuffleBuffer;
import io.mnisttf.model.Scores;
import io.mnisttf.model.TrainingGraph;
import io.mnisttf.util.MoreFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * Trains the network in a TensorFlow session: each step feeds one batch through {@code Session.runner()}
 * and runs Adam's update; each epoch ends with a validation pass. The trainer prints nothing and writes no
 * files of the run (only {@link #warmUp} saves and deletes a throwaway checkpoint in the temporary folder, and
 * {@link #saveCheckpoint} writes where it is told): everything observable goes through
 * {@link TrainingListener}s.
 *
 * <p>A trainer owns its graph and session; close it (try-with-resources) to free their native memory.
 *
 * <p>Its session runs each kernel on {@code config.threads()} threads only if it is the process's first session or
 * {@code TF_OVERRIDE_GLOBAL_THREADPOOL=1} is set: TensorFlow otherwise gives every session the first one's pool. A
 * program that makes sessions of its own calls {@link io.mnisttf.runtime.SessionThreads#apply} first in
 * {@code main}, as the tool does.
 */
public final class Trainer implements AutoCloseable {
  private final TrainConfig config;
  private final Graph graph;
  private final Session session;
  private final TrainingGraph net;
  private final AtomicBoolean stopNow = new AtomicBoolean();
  private List<EpochMetrics> resumedHistory = List.of();
  /** With a moving average: whether it stands in the weights' place (after an epoch), the trained ones kept aside. */
  private boolean averageSwappedIn;
  private boolean closed;

  /** Builds the training graph and initialises the weights from {@code config.seed()}. */
  public Trainer(TrainConfig config) {
    this.config = config;
    this.graph = new Graph();
    Session session = null;
    try {
      this.net = TrainingGraph.build(graph, config.model(), config.adam(), config.seed());
      session = new Session(graph, sessionConfig(config.threads()));
      session.initialize();
      resetAverage(session, net);
    } catch (RuntimeException | Error e) {
      // Graph.close() waits until every session of the graph is closed: close the session first.
      if (session != null) {
        session.close();
      }
      graph.close();
      throw e;
    }
    this.session = session;
  }

  /**
   * Session settings: each kernel on {@code threads} threads. With one (the MLP, whose kernels are too small to
   * gain from splitting across cores), the ops of a step run one after the other in the calling thread: an
   * inter-op pool's hand-offs made its steps 1.37x slower. With more (the CNN's 2), independent ops, such as a
   * convolution's filter and input gradients, also run side by side on an inter-op pool of that size: 3 % less per
   * step (same-round median of 15). With a fixed thread count every kernel partitions its work the same way each
   * time, so the same seed gives bit-identical weights either way (checked every round). TensorFlow honours these
   * counts for every session only with {@code TF_OVERRIDE_GLOBAL_THREADPOOL=1}
   * ({@link io.mnisttf.runtime.SessionThreads}); otherwise the first session of the process sizes one pool for all.
   *
   * <p>Grappler's remapper is off: it fuses each dense layer's MatMul, BiasAdd and ReLU into one oneDNN
   * {@code _FusedMatMul}, which for these small layers costs more than the three ops it replaces (traced: a step's
   * 8 matrix products and 3 bias additions 234 us with it, 199 us without). The MLP's steps take 4-6 % less
   * (same-round medians of 15 and 20, StepAB), the CNN's the same; the weights are bit-identical either way.
   */
  static ConfigProto sessionConfig(int threads) {
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(threads)
        .setInterOpParallelismThreads(threads > 1 ? threads : -1)
        .setGraphOptions(GraphOptions.newBuilder()
            .setRewriteOptions(RewriterConfig.newBuilder().setRemapping(RewriterConfig.Toggle.OFF)))
        .build();
  }

  public TrainConfig config() {
    return config;
  }

  /**
   * Prepares the session for training and scoring without changing the model: runs one training step, one
   * validation and one scoring run on a dummy batch, takes and restores a copy of the weights (as early stopping
   * does after the first epoch: 10 ms of the training's clock otherwise) and saves a throwaway checkpoint, so that
   * TensorFlow optimises their graphs and builds their executors now (about 0.2 s, which the CLI spends on a second
   * core while the data load), then puts every variable back to its initial value. The same seed gives the same
   * weights with or without it.
   */
  public void warmUp() {
    int batchSize = config.batchSize();
    MnistData dummy = new MnistData(new byte[batchSize * MnistData.PIXELS], new byte[batchSize]);
    MnistData.Split split = new MnistData.Split(dummy, new int[batchSize], new int[batchSize]);
    try (ResidentData resident = new ResidentData(session, net, split, Augmentation.NONE, config.seed(), 0);
        StepRunner steps = new StepRunner(session, net, batchSize, config.seed())) {
      resident.uploadAll(StagedSplit.of(split));
      steps.step(new int[batchSize], batchSize, 0);
    }

    scores(session.runner(), net.validation());
    evaluate(dummy);
    restoreWeights(snapshotWeights());
    if (net.average() != null) {
      session.run(net.average().swapIn());
      session.run(net.average().swapOut());
    }
    primeSaver();
    session.forceInitialize();
    resetAverage(session, net);
  }

  /**
   * Starts the moving average, if the graph keeps one, at the weights as they are: after the weights are
   * initialised, by anything that runs the training graph in a session of its own (the measuring tools too).
   */
  static void resetAverage(Session session, TrainingGraph net) {
    if (net.average() != null) {
      session.run(net.average().reset());
    }
  }

  /**
   * Continues from a checkpoint: the variables (weights and optimizer state) are restored from
   * {@code variablesPrefix}, and the next {@link #fit} starts after the {@code history}'s last epoch.
   */
  public void resume(Path variablesPrefix, List<EpochMetrics> history) {
    session.restore(variablesPrefix.toString());
    this.resumedHistory = List.copyOf(history);
    // saved at an epoch's end, where a moving average stands in the weights' place
    this.averageSwappedIn = net.average() != null;
  }

  /**
   * Asks a running {@link #fit} to stop at the end of the current step (thread-safe; for Ctrl-C). The
   * interrupted epoch is not validated and produces no {@link EpochMetrics}; listeners still get
   * {@code onTrainEnd}.
   */
  public void stopAfterCurrentStep() {
    stopNow.set(true);
  }

  /**
   * Runs epochs over {@code train} until {@code config.epochs()} epochs are complete (counting restored
   * ones), validating on {@code validation} after each, and calls the listeners in order. Returns when all
   * epochs ran, a listener requested a stop, {@link #stopAfterCurrentStep} was called, or a step's loss was not
   * finite (as Keras' {@code TerminateOnNaN}: {@link TrainingResult#diverged}). Each call trains again from the
   * current weights, from epoch 1 (after a {@link #resume}, from the checkpoint's next epoch).
   *
   * <p>With a moving average of the weights ({@link io.mnisttf.model.AdamConfig#emaMomentum}), the steps train the
   * weights and move their average, and at each epoch's end the average takes the weights' place: it is what the
   * epoch validates, what listeners snapshot, score and save, and what is left when {@code fit} returns (also when it
   * stops within an epoch: the average of the steps so far). The next epoch (or the next {@code fit}) trains on the
   * trained weights again, kept aside meanwhile.
   */
  public TrainingResult fit(MnistData train, MnistData validation, List<? extends TrainingListener> listeners) {
    return fit(MnistData.Split.of(train, validation), listeners);
  }

  /**
   * As {@link #fit(MnistData, MnistData, List)}, on the two parts of {@code split}: the whole data set is
   * uploaded into the session once, and every step feeds only its batch's indices.
   */
  public TrainingResult fit(MnistData.Split split, List<? extends TrainingListener> listeners) {
    try (StagedSplit staged = StagedSplit.of(split)) {
      return fit(staged, listeners);
    }
  }

  /**
   * As {@link #fit(MnistData.Split, List)}, on a split already copied into tensors (which a caller can do while
   * this trainer is being built: {@link StagedSplit}); releases them once they are in the session.
   */
  public TrainingResult fit(StagedSplit staged, List<? extends TrainingListener> listeners) {
    MnistData.Split split = staged.split();
    int[] trainIndices = split.trainIndices();
    if (trainIndices.length == 0 || split.validationIndices().length == 0) {
      throw new IllegalArgumentException("training needs examples in both the training ("
          + trainIndices.length + ") and the validation part (" + split.validationIndices().length + ")");
    }
    ResidentData resident = new ResidentData(session, net, split, config.augmentation(), config.seed(),
        config.epochs());
    resident.uploadAll(staged);
    ShuffleBuffer shuffle = new ShuffleBuffer(config.shuffleBuffer(), config.seed());
    int batchSize = config.batchSize();
    int[] batchIndices = new int[batchSize];
    int stepsPerEpoch = (trainIndices.length + batchSize - 1) / batchSize;
    List<EpochMetrics> epochs = new ArrayList<>(resumedHistory);
    FitContext context = new FitContext(config.epochs(), stepsPerEpoch, epochs, this);
    resumedHistory = List.of(); // a later fit starts from epoch 1 again, with the weights it finds
    String notFinite = null;
    long samples = 0;
    long start = System.nanoTime();
    listeners.forEach(l -> l.onTrainBegin(context));
    try (resident; StepRunner steps = new StepRunner(session, net, batchSize, config.seed())) {
      for (int epoch = epochs.size() + 1; epoch <= config.epochs() && !context.stopRequested(); epoch++) {
        long epochStart = System.nanoTime();
        for (TrainingListener l : listeners) {
          l.onEpochBegin(epoch, context);
        }
        resident.beginEpoch(epoch);
        if (averageSwappedIn) { // train on the trained weights, not on their average
          session.run(net.average().swapOut());
          averageSwappedIn = false;
        }
        int[] order = shuffle.order(trainIndices.length, epoch - 1);
        MetricMeter meter = new MetricMeter();
        int step = 0;
        for (int from = 0; from < order.length && !stopNow.get(); from += batchSize) {
          int size = Math.min(batchSize, order.length - from);
          for (int k = 0; k < size; k++) {
            batchIndices[k] = trainIndices[order[from + k]];
          }
          float[] lossAndAccuracy = steps.step(batchIndices, size, (long) (epoch - 1) * stepsPerEpoch + step);
          meter.add(lossAndAccuracy[0], lossAndAccuracy[1], size);
          samples += size;
          step++;
          Metrics sofar = meter.result();
          BatchMetrics batch = new BatchMetrics(epoch, step, size, lossAndAccuracy[0], lossAndAccuracy[1],
              sofar.loss(), sofar.accuracy());
          for (TrainingListener l : listeners) {
            l.onBatchEnd(batch);
          }
          if (!Float.isFinite(lossAndAccuracy[0])) { // as Keras' TerminateOnNaN: stop at this step
            notFinite = "training loss is " + finiteName(lossAndAccuracy[0]) + " at epoch " + epoch + ", step "
                + step;
            break;
          }
        }
        if (notFinite != null) {
          context.requestStop(notFinite);
          break;
        }
        if (stopNow.get() && step < stepsPerEpoch) {
          context.requestStop("interrupted during epoch " + epoch + " after step " + step + " of " + stepsPerEpoch);
          break;
        }
        Metrics trained = meter.result();
        swapInAverage(); // the average is the model: validated, kept and saved from here on
        double[] validated = resident.validate();
        EpochMetrics metrics = new EpochMetrics(epoch, trained.loss(), trained.accuracy(), validated[0],
            validated[1], (System.nanoTime() - epochStart) / 1e9);
        epochs.add(metrics);
        for (TrainingListener l : listeners) {
          l.onEpochEnd(metrics, context);
        }
        if (stopNow.get()) {
          context.requestStop("interrupted after epoch " + epoch);
        }
      }
    }
    if (samples > 0) { // stopped within an epoch: the average of its steps so far
      swapInAverage();
    }
    double seconds = (System.nanoTime() - start - context.untimedNanos()) / 1e9;
    listeners.forEach(l -> l.onTrainEnd(context));
    boolean interrupted = notFinite == null && stopNow.getAndSet(false); // the next fit starts afresh
    return new TrainingResult(epochs, context.stopReason(), seconds, samples, interrupted, notFinite != null);
  }

  /** Puts the moving average, if the graph keeps one, in the weights' place, the trained ones kept aside. */
  private void swapInAverage() {
    if (net.average() != null && !averageSwappedIn) {
      session.run(net.average().swapIn());
      averageSwappedIn = true;
    }
  }

  private static String finiteName(float v) {
    return Float.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
  }

  /** Runs {@code runner} fetching {@code scores}; returns {loss, accuracy}. */
  private static float[] scores(Session.Runner runner, Scores scores) {
    return FedScoring.scores(runner, scores);
  }

  /** Mean loss and accuracy of the current weights on {@code data}, without changing them. */
  public Metrics evaluate(MnistData data) {
    return FedScoring.evaluate(session, net, data);
  }

  /**
   * Class probabilities of the current weights for every example of {@code data}: {@code size() * 10}
   * floats, row by row.
   */
  public float[] predictProbabilities(MnistData data) {
    return FedScoring.predictProbabilities(session, net, data);
  }

  /** A copy of the current weights. */
  public WeightSnapshot snapshotWeights() {
    return Weights.snapshot(session, net);
  }

  /** Sets the weights to {@code snapshot}, which must come from a network of the same shape. */
  public void restoreWeights(WeightSnapshot snapshot) {
    Weights.restore(session, net, snapshot);
  }

  /** Saves a throwaway checkpoint, so that the saver ops exist and have run once before the real save. */
  private void primeSaver() {
    try {
      Path dir = Files.createTempDirectory("mnist-tf-java-warm-up");
      try {
        session.save(dir.resolve("variables").toString());
      } finally {
        MoreFiles.deleteRecursively(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes every variable of the training graph (weights, Adam's slots and step powers) as a TensorFlow
   * checkpoint at {@code prefix} ({@code prefix.index} and {@code prefix.data-*}); the folder must exist.
   */
  public void saveCheckpoint(Path prefix) {
    session.save(prefix.toString());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      session.close();
    } finally {
      graph.close();
    }
  }
}
