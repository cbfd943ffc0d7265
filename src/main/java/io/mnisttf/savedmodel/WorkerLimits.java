package io.mnisttf.savedmodel;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits a model worker runs under (the default isolation of {@link Classifiers#open}): a model that
 * takes longer or needs more is stopped, with one {@link SavedModelException} of kind {@code LOAD_TIMEOUT},
 * {@code BATCH_TIMEOUT} or {@code MEMORY_LIMIT}.
 *
 * @param loadTimeout longest time to start the worker, check, load and calibrate the model (default 60 s;
 *     an MNIST model takes 1 to 3 s)
 * @param batchTimeout longest time for one batch of images (default 30 s; a batch of 1000 takes about 10 ms)
 * @param memoryBytes memory the worker may use, Java heap and native together (default 2 GiB; an MNIST model
 *     needs about 400 MB): the parent stops a worker whose resident set grows past it, and its address space
 *     is limited to this plus {@link #RESERVED_ADDRESS_SPACE} that the JVM and TensorFlow map without using,
 *     so that a huge allocation fails inside the worker instead of making the machine swap
 */
public record WorkerLimits(Duration loadTimeout, Duration batchTimeout, long memoryBytes) {
  /**
   * Address space the JVM (512 MB heap) and TensorFlow map without using: a worker evaluating our export peaks
   * at 2.4 GiB of address space for 390 MB resident on 2 cores; more cores mean more thread stacks.
   */
  public static final long RESERVED_ADDRESS_SPACE = 4L << 30;
  /** Java heap of the worker (part of {@code memoryBytes}). */
  public static final long HEAP_BYTES = 512L << 20;
  public static final Duration LOAD_TIMEOUT_DEFAULT = Duration.ofSeconds(60);
  public static final Duration BATCH_TIMEOUT_DEFAULT = Duration.ofSeconds(30);
  public static final long MEMORY_DEFAULT = 2L << 30;
  /** 60 s to load, 30 s a batch, 2 GiB. */
  public static final WorkerLimits DEFAULTS = new WorkerLimits(LOAD_TIMEOUT_DEFAULT, BATCH_TIMEOUT_DEFAULT,
      MEMORY_DEFAULT);

  public WorkerLimits {
    Objects.requireNonNull(loadTimeout, "loadTimeout");
    Objects.requireNonNull(batchTimeout, "batchTimeout");
    if (loadTimeout.isNegative() || loadTimeout.isZero() || batchTimeout.isNegative() || batchTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive, got " + loadTimeout + " and " + batchTimeout);
    }
    if (memoryBytes < HEAP_BYTES + (256L << 20)) {
      throw new IllegalArgumentException("the worker needs at least " + ((HEAP_BYTES >> 20) + 256)
          + " MB, got " + (memoryBytes >> 20) + " MB");
    }
  }

  public WorkerLimits withLoadTimeout(Duration d) {
    return new WorkerLimits(d, batchTimeout, memoryBytes);
  }

  public WorkerLimits withBatchTimeout(Duration d) {
    return new WorkerLimits(loadTimeout, d, memoryBytes);
  }

  public WorkerLimits withMemoryBytes(long bytes) {
    return new WorkerLimits(loadTimeout, batchTimeout, bytes);
  }
}
