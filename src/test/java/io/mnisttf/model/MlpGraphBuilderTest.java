package io.mnisttf.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class MlpGraphBuilderTest {
  /** Initial values of every variable of the tutorial network built with {@code seed}. */
  static List<float[]> initialWeights(ModelConfig config, long seed) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Mlp mlp = MlpGraphBuilder.mnist(Ops.create(g), config, seed);
      s.initialize();
      Session.Runner runner = s.runner();
      mlp.variables().forEach(runner::fetch);
      List<float[]> values = new ArrayList<>();
      try (Result r = runner.run()) {
        for (int i = 0; i < mlp.variables().size(); i++) {
          TFloat32 t = (TFloat32) r.get(i);
          float[] v = new float[(int) t.size()];
          t.asRawTensor().data().asFloats().read(v);
          values.add(v);
        }
      }
      return values;
    }
  }

  @Test
  void definesTheTutorialNetworkWithFlatVariableNames() {
    try (Graph g = new Graph()) {
      Mlp mlp = MlpGraphBuilder.mnist(Ops.create(g), ModelConfig.DEFAULTS, 1L);
      List<String> names = mlp.variables().stream().map(v -> v.op().name()).toList();
      assertEquals(List.of("dense_1_kernel", "dense_1_bias", "dense_2_kernel", "dense_2_bias", "dense_3_kernel",
          "dense_3_bias"), names);
      assertEquals(Shape.of(784, 50), mlp.layers().get(0).kernel().shape());
      assertEquals(Shape.of(50, 50), mlp.layers().get(1).kernel().shape());
      assertEquals(Shape.of(50, 10), mlp.layers().get(2).kernel().shape());
      assertEquals(Activation.SOFTMAX, mlp.layers().get(2).activation());
      for (Variable<TFloat32> v : mlp.variables()) {
        assertEquals("VariableV2", v.op().type(), "the framework optimizers train VariableV2 only");
      }
    }
  }

  @Test
  void kernelsAreGlorotUniformOverTheWholeSymmetricRangeAndBiasesZero() {
    List<float[]> w = initialWeights(ModelConfig.DEFAULTS, 42L);
    long[][] shapes = {{784, 50}, {50, 50}, {50, 10}};
    for (int layer = 0; layer < 3; layer++) {
      float[] kernel = w.get(2 * layer);
      double limit = Math.sqrt(6.0 / (shapes[layer][0] + shapes[layer][1]));
      double min = Double.MAX_VALUE;
      double max = -Double.MAX_VALUE;
      double sum = 0;
      int negative = 0;
      for (float x : kernel) {
        min = Math.min(min, x);
        max = Math.max(max, x);
        sum += x;
        negative += x < 0 ? 1 : 0;
      }
      String where = "layer " + (layer + 1);
      assertTrue(min >= -limit && max <= limit, where + ": values within [-limit, limit]");
      assertTrue(min < -0.9 * limit, where + ": negative half used, min " + min + " limit " + limit);
      assertTrue(max > 0.9 * limit, where + ": positive half used, max " + max);
      double fractionNegative = (double) negative / kernel.length;
      assertTrue(Math.abs(fractionNegative - 0.5) < 0.1, where + ": symmetric, " + fractionNegative + " negative");
      assertTrue(Math.abs(sum / kernel.length) < 0.1 * limit, where + ": mean near 0");
      for (float b : w.get(2 * layer + 1)) {
        assertEquals(0f, b, where + ": biases start at zero");
      }
    }
    assertFalse(Arrays.equals(Arrays.copyOf(w.get(0), 100), Arrays.copyOf(w.get(2), 100)),
        "layers draw from different seeds");
  }

  @Test
  void sameSeedSameWeightsOtherSeedOtherWeights() {
    List<float[]> a = initialWeights(ModelConfig.DEFAULTS, 7L);
    List<float[]> b = initialWeights(ModelConfig.DEFAULTS, 7L);
    List<float[]> c = initialWeights(ModelConfig.DEFAULTS, 8L);
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i), b.get(i));
    }
    assertFalse(Arrays.equals(a.get(0), c.get(0)));
  }

  @Test
  void hiddenLayersAreConfigurable() {
    try (Graph g = new Graph()) {
      Mlp mlp = MlpGraphBuilder.mnist(Ops.create(g), ModelConfig.mlp(List.of(128, 64, 32)), 1L);
      assertEquals(4, mlp.layers().size());
      assertEquals(Shape.of(32, 10), mlp.layers().get(3).kernel().shape());
    }
  }

  @Test
  void forwardPassGivesProbabilityRowsForABatch() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28)));
      Forward out = MlpGraphBuilder.mnist(tf, ModelConfig.DEFAULTS, 3L).apply(tf, images);
      assertArrayEquals(new long[] {-1, 10}, out.probabilities().shape().asArray());
      float[] pixels = new float[3 * 784];
      Arrays.fill(pixels, 0.5f);
      try (TFloat32 x = TFloat32.tensorOf(Shape.of(3, 28, 28),
              org.tensorflow.ndarray.buffer.DataBuffers.of(pixels));
          Result r = s.runner().feed(images, x).fetch(out.probabilities()).run()) {
        TFloat32 p = (TFloat32) r.get(0);
        assertEquals(Shape.of(3, 10), p.shape());
        for (int row = 0; row < 3; row++) {
          float sum = 0;
          for (int k = 0; k < 10; k++) {
            sum += p.getFloat(row, k);
          }
          assertEquals(1f, sum, 1e-5);
        }
      }
    }
  }

  @Test
  void rejectsMisuse() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      assertThrows(IllegalStateException.class, () -> MlpGraphBuilder.input(tf, 28, 28).dense(5, Activation.RELU));
      assertThrows(IllegalArgumentException.class, () -> ModelConfig.mlp(List.of(50, 0)));
      assertThrows(IllegalStateException.class,
          () -> MlpGraphBuilder.input(tf, 4).dense(3, Activation.SOFTMAX).dense(2, Activation.RELU));
    }
  }
}
