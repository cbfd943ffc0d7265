package io.mnisttf.tensorboard;

import io.mnisttf.train.BatchMetrics;
import io.mnisttf.train.EpochMetrics;
import io.mnisttf.train.TrainingContext;
import io.mnisttf.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Writes TensorBoard event files as Keras 3's {@code TensorBoard(update_freq="batch")} callback does (checked
 * against a real one by {@code src/python/check}: folders, tags, steps, values and their storage), so that
 * {@code tensorboard --logdir <logDir>} shows the run and its curves overlay Keras runs of the same tags:
 * <pre>
 * &lt;logDir&gt;/train/events.out.tfevents.*.v2       epoch_loss, epoch_accuracy, epoch_learning_rate
 *                                              (step = epoch - 1, as Keras' 0-based epochs)
 *                                              batch_loss, batch_accuracy: the epoch's means so far, as
 *                                              Keras logs them (step = global step, 1-based)
 * &lt;logDir&gt;/validation/events.out.tfevents.*.v2  epoch_loss, epoch_accuracy from val_loss, val_accuracy
 *                                              (step = epoch - 1), and evaluation_loss_vs_iterations,
 *                                              evaluation_accuracy_vs_iterations (step = global steps so far)
 * </pre>
 * Scalars are float32 tensors with the {@code scalars} plugin's metadata, as {@code tf.summary.scalar} writes
 * them ({@link ScalarFormat#TENSOR}).
 * Files are opened at train begin, flushed after each epoch and closed at train end. The loop does not call
 * {@code onTrainEnd} when a step throws, so also close this logger (try-with-resources) around training;
 * {@link #close()} is idempotent.
 *
 * <p>Per-step logging costs two records of about 60 bytes each (tensor scalars, framing included) written into a
 * 64 KiB buffer, about 65 KB per epoch of 540 steps: 2-4 microseconds of CPU a step once warm, against a 0.24 ms
 * step of the default MLP, plus about 60 ms once per process on the training thread (the event files and the
 * first use of protobuf's classes), measured in {@code train --logdir}.
 * {@link Config#batchLossEvery()} thins it out; 0 turns it off.
 *
 * <p>I/O errors in the listener methods are thrown as {@link UncheckedIOException}s naming the file.
 */
public final class TensorBoardLogger implements TrainingListener, AutoCloseable {
  /** Sub-folder of the training curves. */
  public static final String TRAIN_DIR = "train";
  /** Sub-folder of the validation curves. */
  public static final String VALIDATION_DIR = "validation";
  public static final String EPOCH_LOSS = "epoch_loss";
  public static final String EPOCH_ACCURACY = "epoch_accuracy";
  public static final String BATCH_LOSS = "batch_loss";
  public static final String BATCH_ACCURACY = "batch_accuracy";
  public static final String EPOCH_LEARNING_RATE = "epoch_learning_rate";
  public static final String EVALUATION_LOSS = "evaluation_loss_vs_iterations";
  public static final String EVALUATION_ACCURACY = "evaluation_accuracy_vs_iterations";

  /**
   * @param logDir folder given to {@code tensorboard --logdir}; created if missing
   * @param batchLossEvery write {@code batch_loss} and {@code batch_accuracy} at global steps that are multiples
   *     of this; 1 (default) is every step, as Keras' {@code update_freq="batch"}, 0 never
   * @param format how scalars are stored (default {@link ScalarFormat#TENSOR}, as Keras)
   * @param learningRate the optimizer's learning rate, logged as {@code epoch_learning_rate} every epoch as
   *     Keras does; NaN logs none
   */
  public record Config(Path logDir, int batchLossEvery, ScalarFormat format, double learningRate) {
    public static final int BATCH_LOSS_EVERY_DEFAULT = 1;
    public static final ScalarFormat FORMAT_DEFAULT = ScalarFormat.TENSOR;

    public Config {
      if (logDir == null) {
        throw new IllegalArgumentException("TensorBoard log folder must be given");
      }
      if (batchLossEvery < 0) {
        throw new IllegalArgumentException("batch loss interval must be >= 0 (0 = off), got " + batchLossEvery);
      }
      if (format == null) {
        throw new IllegalArgumentException("scalar format must be given");
      }
    }

    /** Defaults for {@code logDir}: batch metrics every step, tensor scalars, no learning rate. */
    public static Config of(Path logDir) {
      return new Config(logDir, BATCH_LOSS_EVERY_DEFAULT, FORMAT_DEFAULT, Double.NaN);
    }

    public Config withBatchLossEvery(int n) {
      return new Config(logDir, n, format, learningRate);
    }

    public Config withFormat(ScalarFormat f) {
      return new Config(logDir, batchLossEvery, f, learningRate);
    }

    /** Logs {@code rate} as {@code epoch_learning_rate} every epoch. */
    public Config withLearningRate(double rate) {
      return new Config(logDir, batchLossEvery, format, rate);
    }
  }

  private final Config config;
  private EventFileWriter train;
  private EventFileWriter validation;
  private long stepsPerEpoch;

  public TensorBoardLogger(Config config) {
    this.config = config;
  }

  public Config config() {
    return config;
  }

  /** Opens new event files in {@code train/} and {@code validation/}, closing any from an earlier run. */
  @Override
  public void onTrainBegin(TrainingContext context) {
    closeUnchecked();
    train = null;
    validation = null;
    stepsPerEpoch = context.stepsPerEpoch();
    try {
      train = EventFileWriter.create(config.logDir().resolve(TRAIN_DIR), config.format());
      validation = EventFileWriter.create(config.logDir().resolve(VALIDATION_DIR), config.format());
    } catch (IOException e) {
      UncheckedIOException failure = new UncheckedIOException(e.getMessage(), e);
      try {
        close();
      } catch (IOException suppressed) {
        failure.addSuppressed(suppressed);
      }
      throw failure;
    }
  }

  /**
   * Writes {@code batch_loss} and {@code batch_accuracy}, the epoch's means so far, at global step
   * {@code (epoch - 1) * stepsPerEpoch + step} when due.
   */
  @Override
  public void onBatchEnd(BatchMetrics metrics) {
    if (train == null || config.batchLossEvery() == 0) {
      return;
    }
    long globalStep = globalStep(metrics.epoch() - 1) + metrics.step();
    if (globalStep % config.batchLossEvery() == 0) {
      try {
        train.writeScalar(BATCH_LOSS, globalStep, (float) metrics.epochLoss());
        train.writeScalar(BATCH_ACCURACY, globalStep, (float) metrics.epochAccuracy());
      } catch (IOException e) {
        throw new UncheckedIOException(e.getMessage(), e);
      }
    }
  }

  /** The global step at the end of epoch {@code epochs} (0 before the first). */
  private long globalStep(int epochs) {
    return epochs * stepsPerEpoch;
  }

  /**
   * Writes the epoch's metrics as float32 at step {@code epoch - 1} (and the validation metrics again at the
   * global step, as Keras' {@code evaluation_*_vs_iterations}), and flushes both files.
   */
  @Override
  public void onEpochEnd(EpochMetrics metrics, TrainingContext context) {
    if (train == null) {
      return;
    }
    long step = metrics.epoch() - 1;
    try {
      train.writeScalar(EPOCH_ACCURACY, step, (float) metrics.accuracy());
      if (!Double.isNaN(config.learningRate())) {
        train.writeScalar(EPOCH_LEARNING_RATE, step, (float) config.learningRate());
      }
      train.writeScalar(EPOCH_LOSS, step, (float) metrics.loss());
      validation.writeScalar(EPOCH_ACCURACY, step, (float) metrics.valAccuracy());
      validation.writeScalar(EPOCH_LOSS, step, (float) metrics.valLoss());
      long iterations = globalStep(metrics.epoch());
      validation.writeScalar(EVALUATION_ACCURACY, iterations, (float) metrics.valAccuracy());
      validation.writeScalar(EVALUATION_LOSS, iterations, (float) metrics.valLoss());
      train.flush();
      validation.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  @Override
  public void onTrainEnd(TrainingContext context) {
    closeUnchecked();
  }

  /** The training event file of the current or last run, null before the first. */
  public Path trainFile() {
    return train == null ? null : train.path();
  }

  /** The validation event file of the current or last run, null before the first. */
  public Path validationFile() {
    return validation == null ? null : validation.path();
  }

  /** Closes both event files (each is tried even if the other fails); later calls do nothing. */
  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (EventFileWriter writer : new EventFileWriter[] {train, validation}) {
      if (writer == null) {
        continue;
      }
      try {
        writer.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void closeUnchecked() {
    try {
      close();
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }
}
