package io.mnisttf.savedmodel.internal.worker;

import io.mnisttf.data.MnistData;
import io.mnisttf.savedmodel.Classifier;
import io.mnisttf.savedmodel.ClassifierDescription;
import io.mnisttf.savedmodel.ClassifierOptions;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.WorkerLimits;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A {@link Classifier} whose SavedModel runs in a worker process ({@link WorkerMain}), for models from strangers:
 * the worker checks, loads and calibrates the model as {@code InProcessClassifier} does and classifies batches
 * for this process, which reads nothing of the model itself. Whatever the model does inside TensorFlow (abort,
 * crash, hang, allocate without end, flood the log), this process gets one {@link SavedModelException} and the
 * worker is stopped.
 *
 * <p>Thread-safe: calls from several threads take turns on the worker's pipe (the worker runs one batch at a
 * time); each gets exactly its own answers.
 */
public final class WorkerClassifier implements Classifier {
  private static final String LOADING = "while loading the model";
  private static final String RUNNING = "while classifying a batch";

  private final Path model;
  private final WorkerLimits limits;
  private final WorkerProcess worker;
  private final ClassifierDescription description;
  private final int batchSize;

  private WorkerClassifier(Path model, WorkerLimits limits, WorkerProcess worker, ClassifierDescription description,
      int batchSize) {
    this.model = model;
    this.limits = limits;
    this.worker = worker;
    this.description = description;
    this.batchSize = batchSize;
  }

  /**
   * Starts a worker process ahead of need (its JVM and TensorFlow take about a second to start), for the next
   * {@link #open} of this process to use. Only this tool's code runs in it until then; it ends with this process.
   */
  public static void prestart() {
    WorkerLauncher.prestart();
  }

  /**
   * Starts a worker (or takes the one {@link #prestart} started), has it open {@code model}, and waits until it
   * has (within the load timeout).
   *
   * @param model the SavedModel folder (or Serving base folder)
   * @throws SavedModelException when the model is refused or fails, or the worker does (it is then stopped)
   */
  public static WorkerClassifier open(Path model, ClassifierOptions options) throws SavedModelException {
    WorkerLimits limits = options.limits();
    long deadline = System.nanoTime() + limits.loadTimeout().toNanos();
    WorkerProcess worker = WorkerLauncher.start(model, limits, options.workerLog() == null ? line -> { }
        : options.workerLog());
    try {
      worker.send(Messages.frame(Frame.Type.OPEN, Messages.Open.of(model, options)), LOADING);
      Messages.Opened opened;
      try {
        Messages.parse(worker.await(Frame.Type.HELLO, left(deadline), LOADING,
            SavedModelException.Kind.LOAD_TIMEOUT), Messages.Hello.class);
        opened = Messages.parse(worker.await(Frame.Type.OPENED, left(deadline), LOADING,
            SavedModelException.Kind.LOAD_TIMEOUT), Messages.Opened.class);
      } catch (Frame.ProtocolException e) {
        throw brokenProtocol(model, LOADING, e.getMessage());
      }
      if (opened.description() == null || opened.batchSize() < 1) {
        throw brokenProtocol(model, LOADING, "incomplete OPENED");
      }
      return new WorkerClassifier(model, limits, worker, opened.description(), opened.batchSize());
    } catch (SavedModelException | RuntimeException e) {
      worker.close(false);
      throw e;
    }
  }

  private static Duration left(long deadline) {
    return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
  }

  private static SavedModelException brokenProtocol(Path model, String phase, String what) {
    return new SavedModelException(model, SavedModelException.Kind.WORKER_FAILED, "the model worker broke the"
        + " protocol " + phase + " (" + what + ")");
  }

  /** The worker's process id (for tests and diagnostics). */
  public long workerPid() {
    return worker.pid();
  }

  @Override
  public ClassifierDescription description() {
    return description;
  }

  @Override
  public int batchSize() {
    return batchSize;
  }

  /** Images go to the worker in batches of {@link #batchSize}, each within the batch timeout. */
  @Override
  public synchronized void classify(float[] pixels, int count, float[] probabilities, float[] logProbabilities)
      throws SavedModelException {
    int classes = MnistData.CLASSES;
    if (pixels.length < (long) count * MnistData.PIXELS || probabilities.length < (long) count * classes
        || (logProbabilities != null && logProbabilities.length < (long) count * classes)) {
      throw new IllegalArgumentException("buffers too small for " + count + " images");
    }
    for (int from = 0; from < count; from += batchSize) {
      int n = Math.min(batchSize, count - from);
      worker.send(PixelCodec.run(n, pixels, from * MnistData.PIXELS), RUNNING);
      Frame result = worker.await(Frame.Type.RESULT, limits.batchTimeout(), RUNNING,
          SavedModelException.Kind.BATCH_TIMEOUT);
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
        throw brokenProtocol(model, RUNNING, e.getMessage());
      }
    }
  }

  /** Closes the model in the worker and ends the worker (stopping it if it does not end); idempotent. */
  @Override
  public synchronized void close() {
    worker.close(true);
  }
}
