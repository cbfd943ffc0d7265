package io.mnisttf.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchTest {
  @Test
  void cutsIntoFullBatchesAndKeepsThePartialLastOne() {
    int[] order = new int[250];
    java.util.Arrays.setAll(order, i -> 249 - i);
    List<Batch> batches = Batch.split(order, 100);
    assertEquals(3, batches.size());
    assertEquals(100, batches.get(0).size());
    assertEquals(100, batches.get(1).size());
    assertEquals(50, batches.get(2).size());
    assertEquals(249, batches.get(0).indices()[0]);
    assertEquals(0, batches.get(2).indices()[49]);
  }

  @Test
  void exactDivisionHasNoEmptyBatch() {
    assertEquals(540, Batch.split(new int[54_000], 100).size());
  }

  @Test
  void copiesPixelsInBatchOrder() {
    MnistData data = MnistDataTest.numbered(30);
    Batch batch = new Batch(new int[] {17, 3});
    float[] pixels = new float[2 * MnistData.PIXELS];
    batch.copyPixels(data, pixels);
    assertEquals(17 / 255f, pixels[0], 1e-7);
    assertEquals(17 / 255f, pixels[MnistData.PIXELS - 1], 1e-7);
    assertEquals(3 / 255f, pixels[MnistData.PIXELS], 1e-7);
  }

  @Test
  void rejectsBadSizes() {
    assertThrows(IllegalArgumentException.class, () -> Batch.split(new int[5], 0));
    assertThrows(IllegalArgumentException.class, () -> new Batch(new int[0]));
  }
}
