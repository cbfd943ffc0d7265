package io.mnisttf.serve;

import java.time.Duration;

/**
 * TF Serving-style request batching: concurrent calls of one signature whose inputs agree in everything but
 * their first (batch) dimension are joined into one model call of at most {@code maxBatchSize} rows, waiting at
 * most {@code batchTimeout} for company, and each caller gets its own rows of every output back.
 *
 * @param maxBatchSize most rows in one joined call (TF Serving's {@code max_batch_size})
 * @param batchTimeout longest a call waits for others to join (TF Serving's {@code batch_timeout_micros})
 */
public record BatchingOptions(int maxBatchSize, Duration batchTimeout) {
  /** 32 rows, 1 ms. */
  public static final BatchingOptions DEFAULTS = new BatchingOptions(32, Duration.ofMillis(1));

  public BatchingOptions {
    if (maxBatchSize < 1 || batchTimeout.isNegative()) {
      throw new IllegalArgumentException("a batch needs at least one row and a non-negative timeout");
    }
  }
}
