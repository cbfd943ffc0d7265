package io.mnisttf.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

class CnnGraphBuilderTest {
  @Test
  void definesKerasSimpleConvnetWithFlatVariableNames() {
    try (Graph g = new Graph()) {
      Network net = Networks.mnist(Ops.create(g), ModelConfig.CNN_DEFAULTS, 1L);
      assertTrue(net instanceof Cnn);
      List<String> names = net.variables().stream().map(v -> v.op().name()).toList();
      assertEquals(List.of("conv2d_1_kernel", "conv2d_1_bias", "conv2d_2_kernel", "conv2d_2_bias", "dense_1_kernel",
          "dense_1_bias"), names);
      List<Shape> shapes = net.variables().stream().map(Variable::shape).toList();
      assertEquals(List.of(Shape.of(3, 3, 1, 32), Shape.of(32), Shape.of(3, 3, 32, 64), Shape.of(64),
          Shape.of(1600, 10), Shape.of(10)), shapes);
      assertEquals(34_826, shapes.stream().mapToLong(Shape::size).sum(), "Keras' summary: 34 826 parameters");
      for (Variable<TFloat32> v : net.variables()) {
        assertEquals("VariableV2", v.op().type(), "the framework optimizers train VariableV2 only");
      }
      assertTrue(net.stochastic(), "dropout 0.5 draws a mask every step");
      assertEquals(0, countOps(g, "Conv2D"), "only variables so far: the network is applied later");
    }
  }

  @Test
  void convolutionKernelsAreGlorotUniformWithKerasFansAndBiasesZero() {
    List<float[]> w = initialWeights(ModelConfig.CNN_DEFAULTS, 42L);
    double[] limits = {Math.sqrt(6.0 / (9 + 9 * 32)), Math.sqrt(6.0 / (9 * 32 + 9 * 64)), Math.sqrt(6.0 / 1610)};
    for (int layer = 0; layer < 3; layer++) {
      float[] kernel = w.get(2 * layer);
      double min = Arrays.stream(toDoubles(kernel)).min().orElseThrow();
      double max = Arrays.stream(toDoubles(kernel)).max().orElseThrow();
      assertTrue(min >= -limits[layer] && max <= limits[layer], "layer " + layer + " within its limit");
      assertTrue(min < -0.9 * limits[layer] && max > 0.9 * limits[layer], "layer " + layer + " uses both halves");
      for (float b : w.get(2 * layer + 1)) {
        assertEquals(0f, b);
      }
    }
    assertArrayEquals(w.get(2), initialWeights(ModelConfig.CNN_DEFAULTS, 42L).get(2), "same seed, same weights");
    assertFalse(Arrays.equals(w.get(2), initialWeights(ModelConfig.CNN_DEFAULTS, 43L).get(2)));
  }

  @Test
  void inferenceIsDeterministicAndTrainingDropsFeaturesByItsStepSeed() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Network net = Networks.mnist(tf, ModelConfig.CNN_DEFAULTS, 3L);
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28)));
      Placeholder<TInt64> seed = tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
      int initializers = countOps(g, "StatelessRandomUniform");
      Forward inference = net.apply(tf, images);
      assertEquals(initializers, countOps(g, "StatelessRandomUniform"), "no dropout in inference");
      Forward training = net.applyTraining(tf.withSubScope("train"), images, seed);
      assertEquals(initializers + 1, countOps(g, "StatelessRandomUniform"), "one dropout mask in training");
      assertEquals(4, countOps(g, "MaxPool"), "MaxPool v1, two per application");
      assertEquals(0, countOps(g, "MaxPoolV2"));
      s.initialize();
      float[] pixels = new float[4 * 784];
      Random random = new Random(1);
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = random.nextFloat();
      }
      float[] a = run(s, images, pixels, inference.probabilities(), seed, 0);
      assertArrayEquals(a, run(s, images, pixels, inference.probabilities(), seed, 9), "no seed in inference");
      for (int row = 0; row < 4; row++) {
        float sum = 0;
        for (int k = 0; k < 10; k++) {
          sum += a[row * 10 + k];
        }
        assertEquals(1f, sum, 1e-5);
      }
      float[] t1 = run(s, images, pixels, training.probabilities(), seed, 1);
      assertArrayEquals(t1, run(s, images, pixels, training.probabilities(), seed, 1), "same seed, same mask");
      assertFalse(Arrays.equals(t1, run(s, images, pixels, training.probabilities(), seed, 2)), "another mask");
      assertFalse(Arrays.equals(a, t1), "training drops features");
    }
  }

  /**
   * The network pools before its bias and ReLU, a quarter of their work; max-pooling commutes with both, so the
   * logits and the kernels' gradients are bit for bit those of Keras' order (bias, ReLU, then pool), and the biases'
   * gradients agree to float rounding (the same terms summed in another order), on random weights and inputs that
   * make both signs.
   */
  @Test
  void poolingBeforeBiasAndReluGivesKerasNumbersAndGradients() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Cnn net = (Cnn) Networks.mnist(tf, ModelConfig.CNN_DEFAULTS, 5L);
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28)));
      Operand<TFloat32> ours = net.apply(tf, images).logits();
      int pooledRelus = 0;
      for (var it = g.operations(); it.hasNext(); ) {
        GraphOperation op = (GraphOperation) it.next();
        pooledRelus += op.type().equals("Relu") && op.input(0).op().type().equals("BiasAdd")
            && ((GraphOperation) op.input(0).op()).input(0).op().type().equals("MaxPool") ? 1 : 0;
      }
      assertEquals(2, pooledRelus, "each convolution's bias and ReLU take its pooled output");
      Operand<TFloat32> x = tf.reshape(images, tf.constant(new long[] {-1, 28, 28, 1}));
      for (ConvLayer conv : net.convolutions()) {
        x = tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(x, conv.kernel(), List.of(1L, 1L, 1L, 1L), "VALID"), conv.bias()));
        x = tf.nn.maxPool(x, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
      }
      Operand<TFloat32> keras = net.head().apply(tf, tf.reshape(x, tf.constant(new long[] {-1, 1600}))).logits();
      List<Operand<?>> fetches = new ArrayList<>(List.of(ours, keras));
      for (Operand<TFloat32> logits : List.of(ours, keras)) {
        tf.gradients(tf.math.mul(logits, logits), net.variables()).forEach(fetches::add);
      }
      s.initialize();
      float[] pixels = new float[8 * 784];
      Random random = new Random(7);
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = random.nextFloat();
      }
      try (TFloat32 in = TFloat32.tensorOf(Shape.of(8, 28, 28), DataBuffers.of(pixels, true, false))) {
        Session.Runner runner = s.runner().feed(images, in);
        fetches.forEach(runner::fetch);
        try (Result r = runner.run()) {
          int n = net.variables().size();
          assertArrayEquals(values(r, 1), values(r, 0), "logits");
          for (int v = 0; v < n; v++) {
            float[] grad = values(r, 2 + v);
            float[] expected = values(r, 2 + n + v);
            String name = net.variables().get(v).op().name();
            assertTrue(IntStream.range(0, grad.length).anyMatch(i -> grad[i] != 0), "a gradient that says something");
            if (name.startsWith("conv") && name.endsWith("_bias")) {
              // Summed over the pooled positions, not over all with zeros between: the same terms in another order.
              for (int i = 0; i < grad.length; i++) {
                assertEquals(expected[i], grad[i], 1e-6f * Math.max(1f, Math.abs(expected[i])), name + "[" + i + "]");
              }
            } else {
              assertArrayEquals(expected, grad, "gradient of " + name);
            }
          }
        }
      }
    }
  }

  private static float[] values(Result r, int i) {
    TFloat32 t = (TFloat32) r.get(i);
    float[] v = new float[(int) t.size()];
    t.asRawTensor().data().asFloats().read(v);
    return v;
  }

  @Test
  void withoutDropoutTrainingIsInference() {
    try (Graph g = new Graph()) {
      Network net = Networks.mnist(Ops.create(g), ModelConfig.CNN_DEFAULTS.withDropout(0), 1L);
      assertFalse(net.stochastic());
    }
  }

  @Test
  void rejectsMisuse() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      assertThrows(IllegalStateException.class, () -> CnnGraphBuilder.mnist(tf).flatten());
      assertThrows(IllegalStateException.class, () -> CnnGraphBuilder.mnist(tf).maxPool(2));
      assertThrows(IllegalStateException.class, () -> CnnGraphBuilder.mnist(tf).conv(4, 3).dense(10,
          Activation.SOFTMAX));
      assertThrows(IllegalArgumentException.class, () -> CnnGraphBuilder.mnist(tf).conv(4, 29));
      assertThrows(IllegalArgumentException.class, () -> new ModelConfig(ModelConfig.Architecture.CNN, List.of(),
          List.of(), 0.5));
      assertThrows(IllegalArgumentException.class, () -> ModelConfig.CNN_DEFAULTS.withDropout(1));
      assertThrows(IllegalArgumentException.class, () -> ModelConfig.DEFAULTS.withDropout(0.5));
      assertThrows(IllegalArgumentException.class, () -> ModelConfig.CNN_DEFAULTS.withConvFilters(
          List.of(8, 8, 8, 8)));
    }
  }

  @Test
  void describesItsLayers() {
    assertEquals("784-50-50-10", ModelConfig.DEFAULTS.layers());
    assertEquals("conv32-conv64-drop0.5-10", ModelConfig.CNN_DEFAULTS.layers());
    assertEquals("conv16-128-10", ModelConfig.CNN_DEFAULTS.withConvFilters(List.of(16)).withDropout(0)
        .withHiddenUnits(List.of(128)).layers());
  }

  private static float[] run(Session s, Placeholder<TFloat32> images, float[] pixels, Operand<TFloat32> out,
      Placeholder<TInt64> seed, long step) {
    try (TFloat32 x = TFloat32.tensorOf(Shape.of(pixels.length / 784, 28, 28), DataBuffers.of(pixels, true, false));
        TInt64 stepSeed = TInt64.vectorOf(42, step);
        Result r = s.runner().feed(images, x).feed(seed, stepSeed).fetch(out).run()) {
      TFloat32 p = (TFloat32) r.get(0);
      float[] values = new float[(int) p.size()];
      p.asRawTensor().data().asFloats().read(values);
      return values;
    }
  }

  private static List<float[]> initialWeights(ModelConfig config, long seed) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Network net = Networks.mnist(Ops.create(g), config, seed);
      s.initialize();
      Session.Runner runner = s.runner();
      net.variables().forEach(runner::fetch);
      List<float[]> values = new ArrayList<>();
      try (Result r = runner.run()) {
        for (int i = 0; i < net.variables().size(); i++) {
          TFloat32 t = (TFloat32) r.get(i);
          float[] v = new float[(int) t.size()];
          t.asRawTensor().data().asFloats().read(v);
          values.add(v);
        }
      }
      return values;
    }
  }

  private static int countOps(Graph g, String type) {
    int n = 0;
    for (var it = g.operations(); it.hasNext(); ) {
      n += ((GraphOperation) it.next()).type().equals(type) ? 1 : 0;
    }
    return n;
  }

  private static double[] toDoubles(float[] values) {
    double[] d = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      d[i] = values[i];
    }
    return d;
  }
}
