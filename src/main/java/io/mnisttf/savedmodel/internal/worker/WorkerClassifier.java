package io.mnisttf.savedmodel.internal.worker;

import io.mnisttf.data.MnistData;
import io.mnisttf.savedmodel.ClassifierDescription;
import io.mnisttf.savedmodel.ClassifierOptions;
import io.mnisttf.savedmodel.DigitClassifier;
import io.mnisttf.savedmodel.SavedModelException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A {@link DigitClassifier} whose SavedModel runs in a worker process ({@link WorkerMain}), for models from
 * strangers: the worker checks, loads and calibrates the model with {@code MnistClassifier.open} and classifies
 * batches for this process, which reads nothing of the model itself. Whatever the model does inside
 * TensorFlow (abort, crash, hang, allocate without end, flood the log), this process gets one
 * {@link SavedModelException} line and the worker is stopped.
 *
 * <pre>{@code
 * try (WorkerClassifier model = WorkerClassifier.start(dir, ClassifierOptions.DEFAULTS, WorkerLimits.DEFAULTS,
 *     line -> {})) {
 *   // ... read the test set while the worker starts ...
 *   model.awaitOpen();
 *   float[] probabilities = model.probabilities(pixels, count);
 * }
 * }</pre>
 *
 * <p>Not thread-safe; close it (closing twice is harmless).
 */
public final class WorkerClassifier implements DigitClassifier {
  private static final String LOADING = "while loading the model";
  private static final String RUNNING = "while classifying a batch";

  private final Path model;
  private final WorkerLimits limits;
  private final WorkerProcess worker;
  private final long loadDeadline;
  private ClassifierDescription description;
  private int batchSize;

  private WorkerClassifier(Path model, WorkerLimits limits, WorkerProcess worker, long loadDeadline) {
    this.model = model;
    this.limits = limits;
    this.worker = worker;
    this.loadDeadline = loadDeadline;
  }

  /**
   * Starts a worker process ahead of need (its JVM and TensorFlow take about a second to start), for the
   * next {@link #start} of this process to use. Only this tool's code runs in it until then; it ends with
   * this process.
   */
  public static void prestart() {
    WorkerProcess.prestart();
  }

  /**
   * Starts a worker (or takes the one {@link #prestart} started) and asks it to open {@code model}; returns at
   * once, so that the caller can do other work while the worker starts. Call {@link #awaitOpen} before anything
   * else.
   *
   * @param model the SavedModel folder (or Serving base folder), as for {@code MnistClassifier.open}
   * @param options how to open it
   * @param limits time and memory limits
   * @param log receives each line of the worker's standard error (TensorFlow's log)
   */
  public static WorkerClassifier start(Path model, ClassifierOptions options, WorkerLimits limits,
      Consumer<String> log) throws SavedModelException {
    long deadline = System.nanoTime() + limits.loadTimeout().toNanos();
    WorkerProcess worker = WorkerProcess.start(model, limits, log);
    try {
      worker.send(Messages.frame(Frame.Type.OPEN, new Messages.Open(model.toString(), options)),
          LOADING);
    } catch (SavedModelException | RuntimeException e) {
      worker.close(false);
      throw e;
    }
    return new WorkerClassifier(model, limits, worker, deadline);
  }

  private Duration left() {
    return Duration.ofNanos(Math.max(1, loadDeadline - System.nanoTime()));
  }

  /**
   * Waits until the worker has checked, loaded and calibrated the model (within the load timeout, counted from
   * {@link #start}).
   *
   * @return this classifier, ready
   * @throws SavedModelException when the model is refused or fails, or the worker does (it is then stopped)
   */
  public WorkerClassifier awaitOpen() throws SavedModelException {
    if (description != null) {
      return this;
    }
    Messages.Opened o;
    try {
      Messages.parse(worker.await(Frame.Type.HELLO, left(), LOADING, "--load-timeout"), Messages.Hello.class);
      o = Messages.parse(worker.await(Frame.Type.OPENED, left(), LOADING, "--load-timeout"), Messages.Opened.class);
    } catch (Frame.ProtocolException e) {
      worker.close(false);
      throw new WorkerException(model, "the model worker broke the protocol " + LOADING + " (" + e.getMessage() + ")");
    }
    if (o.description() == null || o.batchSize() < 1) {
      worker.close(false);
      throw new WorkerException(model, "the model worker broke the protocol " + LOADING + " (incomplete OPENED)");
    }
    description = o.description();
    batchSize = o.batchSize();
    return this;
  }

  /** The worker's process id (for tests and diagnostics). */
  public long workerPid() {
    return worker.pid();
  }

  @Override
  public ClassifierDescription description() {
    requireOpen();
    return description;
  }

  @Override
  public int batchSize() {
    requireOpen();
    return batchSize;
  }

  /** {@inheritDoc} Images go to the worker in batches of {@link #batchSize}, each within the batch timeout. */
  @Override
  public void classify(float[] pixels, int count, float[] probabilities, float[] logProbabilities)
      throws SavedModelException {
    requireOpen();
    int classes = MnistData.CLASSES;
    if (pixels.length < (long) count * MnistData.PIXELS || probabilities.length < (long) count * classes
        || (logProbabilities != null && logProbabilities.length < (long) count * classes)) {
      throw new IllegalArgumentException("buffers too small for " + count + " images");
    }
    for (int from = 0; from < count; from += batchSize) {
      int n = Math.min(batchSize, count - from);
      worker.send(PixelCodec.run(n, pixels, from * MnistData.PIXELS), RUNNING);
      Frame result = worker.await(Frame.Type.RESULT, limits.batchTimeout(), RUNNING, "--batch-timeout");
      try {
        if (result.count() != n) {
          throw new Frame.ProtocolException("RESULT for " + result.count() + " images, " + n + " sent");
        }
        result.readFloats(0, probabilities, from * classes, n * classes);
        if (logProbabilities != null) {
          result.readFloats(n * classes, logProbabilities, from * classes, n * classes);
        }
      } catch (Frame.ProtocolException e) {
        worker.close(false);
        throw new WorkerException(model, "the model worker broke the protocol " + RUNNING + " (" + e.getMessage() + ")");
      }
    }
  }

  private void requireOpen() {
    if (description == null) {
      throw new IllegalStateException("awaitOpen() first");
    }
  }

  /** Closes the model in the worker and ends the worker (stopping it if it does not end); idempotent. */
  @Override
  public void close() {
    worker.close(description != null);
  }
}
