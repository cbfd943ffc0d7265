package io.mnisttf.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WeightAverageTest {
  private static WeightAverage average(float momentum) {
    return new WeightAverage(momentum, null, null, null, null, null);
  }

  /** The bias-corrected rate: the first step's weights become the average, then 1 / (1 + m), down to 1 - m. */
  @Test
  void theRateFallsFromOneToOneMinusTheMomentum() {
    WeightAverage average = average(0.999f);
    assertEquals(1f, average.rateAt(1));
    assertEquals(1 / (1 + 0.999f), average.rateAt(2), 1e-7f);
    assertEquals(1 - 0.999f, average.rateAt(20_000), "a long run's rate, the placeholder's default, exactly");
    assertEquals(2 / 3f, average(0.5f).rateAt(2), 1e-7f, "steps weighted 1 (the newest) and 0.5: 1 / 1.5");
  }

  @Test
  void stepsAreCountedFromOne() {
    assertThrows(IllegalArgumentException.class, () -> average(0.9f).rateAt(0));
  }
}
