package io.mnisttf.data;

import java.util.SplittableRandom;

/**
 * The order in which one epoch visits a data set, with the semantics of tf.data's
 * {@code shuffle(buffer_size, seed, reshuffle_each_iteration=True)}.
 *
 * <p>A buffer is filled with the first {@code bufferSize} elements; each output is an element picked
 * uniformly at random from the buffer, and its slot is refilled with the next input element. Once the
 * input is exhausted the buffer drains the same way. An element can therefore never come out more than
 * {@code bufferSize - 1} positions before its input position, and a buffer as large as the data is a
 * uniform full shuffle. Each epoch draws from its own generator derived from the seed and the epoch
 * number: epochs differ from each other, and the same seed reproduces every epoch exactly (also when
 * training resumes at a later epoch).
 */
public final class ShuffleBuffer {
  private final int bufferSize;
  private final long seed;

  /**
   * @param bufferSize number of elements held in the buffer, at least 1 (1 means no shuffling)
   * @param seed the seed every epoch's order derives from
   */
  public ShuffleBuffer(int bufferSize, long seed) {
    if (bufferSize < 1) {
      throw new IllegalArgumentException("shuffle buffer size must be >= 1, got " + bufferSize);
    }
    this.bufferSize = bufferSize;
    this.seed = seed;
  }

  /**
   * The order of elements {@code 0..n-1} in epoch {@code epoch} (0-based): a permutation of them.
   */
  public int[] order(int n, int epoch) {
    SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1L)));
    int[] buffer = new int[Math.min(bufferSize, n)];
    int filled = 0;
    while (filled < buffer.length) {
      buffer[filled] = filled;
      filled++;
    }
    int next = filled; // next input element to enter the buffer
    int live = filled; // occupied slots
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int slot = random.nextInt(live);
      out[i] = buffer[slot];
      if (next < n) {
        buffer[slot] = next++;
      } else {
        buffer[slot] = buffer[--live];
      }
    }
    return out;
  }
}
