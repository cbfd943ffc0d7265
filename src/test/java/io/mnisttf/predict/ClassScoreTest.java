package io.mnisttf.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassScoreTest {
  @Test
  void topThreeMostProbableFirst() {
    float[] p = {0.01f, 0.02f, 0.05f, 0.6f, 0f, 0.02f, 0f, 0.1f, 0.2f, 0f};
    assertEquals(List.of(new ClassScore(3, 0.6f), new ClassScore(8, 0.2f), new ClassScore(7, 0.1f)),
        ClassScore.top(p, 3));
  }

  @Test
  void tiesGoToTheLowerClass() {
    float[] p = {0.1f, 0.3f, 0.3f, 0.3f};
    assertEquals(List.of(new ClassScore(1, 0.3f), new ClassScore(2, 0.3f)), ClassScore.top(p, 2));
  }

  @Test
  void kMustFit() {
    assertThrows(IllegalArgumentException.class, () -> ClassScore.top(new float[10], 0));
    assertThrows(IllegalArgumentException.class, () -> ClassScore.top(new float[10], 11));
  }
}
