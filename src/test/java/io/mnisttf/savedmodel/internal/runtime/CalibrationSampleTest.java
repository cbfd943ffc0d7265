package io.mnisttf.savedmodel.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.mnisttf.data.MnistData;
import org.junit.jupiter.api.Test;
import io.mnisttf.testing.TestData;

/** The calibration sample in the jar is what its Javadoc says: every 60th image of the bundled training set. */
class CalibrationSampleTest {
  @Test
  void isTheFixedSampleOfTheBundledTrainingSet() {
    MnistData sample = CalibrationSample.load();
    MnistData expected = Calibrator.sample(TestData.train(), CalibrationSample.SIZE);
    assertEquals(CalibrationSample.SIZE, sample.size());
    assertArrayEquals(expected.pixels(), sample.pixels());
    assertArrayEquals(expected.labels(), sample.labels());
    int[] perClass = new int[10];
    for (int i = 0; i < sample.size(); i++) {
      perClass[sample.label(i)]++;
    }
    for (int count : perClass) {
      assertEquals(100, count, 35, "every digit is in the sample");
    }
    assertSame(sample, CalibrationSample.load(), "read once");
  }
}
