package io.mnisttf.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One batch: the indices of its examples in a {@link MnistData}, in order.
 *
 * @param indices example indices, at least one
 */
public record Batch(int[] indices) {
  public Batch {
    if (indices.length == 0) {
      throw new IllegalArgumentException("a batch holds at least one example");
    }
  }

  public int size() {
    return indices.length;
  }

  /**
   * Cuts an epoch's order into consecutive batches of {@code batchSize}; the last batch keeps the
   * remainder when the order does not divide evenly.
   */
  public static List<Batch> split(int[] order, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    List<Batch> batches = new ArrayList<>((order.length + batchSize - 1) / batchSize);
    for (int from = 0; from < order.length; from += batchSize) {
      batches.add(new Batch(Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize))));
    }
    return batches;
  }

  /** Writes the batch's pixels, scaled to [0,1], into {@code dst} (at least {@code size() * 784} long). */
  public void copyPixels(MnistData data, float[] dst) {
    for (int k = 0; k < indices.length; k++) {
      data.copyScaled(indices[k], dst, k * MnistData.PIXELS);
    }
  }
}
