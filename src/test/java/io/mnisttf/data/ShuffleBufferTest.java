package io.mnisttf.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShuffleBufferTest {
  @ParameterizedTest
  @CsvSource({"1, 100", "7, 100", "100, 100", "1000, 100", "10000, 54000"})
  void everyEpochIsAPermutation(int buffer, int n) {
    ShuffleBuffer shuffle = new ShuffleBuffer(buffer, 42);
    for (int epoch = 0; epoch < 3; epoch++) {
      int[] sorted = shuffle.order(n, epoch).clone();
      Arrays.sort(sorted);
      for (int i = 0; i < n; i++) {
        assertEquals(i, sorted[i]);
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"2", "5", "32", "500"})
  void noElementComesOutMoreThanBufferMinusOnePositionsEarly(int buffer) {
    int n = 5_000;
    int maxEarly = 0;
    for (int epoch = 0; epoch < 5; epoch++) {
      int[] order = new ShuffleBuffer(buffer, 3).order(n, epoch);
      for (int position = 0; position < n; position++) {
        maxEarly = Math.max(maxEarly, order[position] - position);
      }
    }
    assertTrue(maxEarly <= buffer - 1, "emitted " + maxEarly + " positions early");
    assertEquals(buffer - 1, maxEarly, "the bound is reached: the buffer is really used");
  }

  @Test
  void bufferOfOneKeepsTheInputOrder() {
    int[] order = new ShuffleBuffer(1, 9).order(50, 4);
    for (int i = 0; i < 50; i++) {
      assertEquals(i, order[i]);
    }
  }

  @Test
  void sameSeedSameOrderOtherSeedOrEpochAnotherOrder() {
    ShuffleBuffer a = new ShuffleBuffer(64, 42);
    assertArrayEquals(a.order(1000, 0), new ShuffleBuffer(64, 42).order(1000, 0));
    assertArrayEquals(a.order(1000, 3), new ShuffleBuffer(64, 42).order(1000, 3), "resuming at an epoch");
    assertFalse(Arrays.equals(a.order(1000, 0), new ShuffleBuffer(64, 43).order(1000, 0)));
    assertFalse(Arrays.equals(a.order(1000, 0), a.order(1000, 1)), "reshuffled every epoch");
  }

  @Test
  void aBufferAsLargeAsTheDataIsAUniformShuffle() {
    // Over many epochs each element lands in the first position about equally often.
    int n = 10;
    int epochs = 20_000;
    int[] firstCounts = new int[n];
    ShuffleBuffer shuffle = new ShuffleBuffer(n, 5);
    for (int epoch = 0; epoch < epochs; epoch++) {
      firstCounts[shuffle.order(n, epoch)[0]]++;
    }
    double chiSquare = 0;
    double expected = (double) epochs / n;
    for (int count : firstCounts) {
      chiSquare += (count - expected) * (count - expected) / expected;
    }
    assertTrue(chiSquare < 27.9, "chi-square " + chiSquare + " (p=0.001 critical value, 9 dof: 27.88)");
  }

  @Test
  void smallBufferLeavesTheLastElementsLate() {
    // With a buffer of 10 over 1000 elements, element 999 can only enter the buffer at step 990.
    int[] order = new ShuffleBuffer(10, 1).order(1000, 0);
    int position = 0;
    while (order[position] != 999) {
      position++;
    }
    assertTrue(position >= 990, "position " + position);
  }

  @Test
  void rejectsAnEmptyBuffer() {
    assertThrows(IllegalArgumentException.class, () -> new ShuffleBuffer(0, 1));
  }
}
