package io.mnisttf.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.losses.SparseCategoricalCrossentropy;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** The registered gradient against a numeric gradient of the framework loss and against the closed form. */
class SparseSoftmaxGradientTest {
  private static final int BATCH = 4;
  private static final int CLASSES = 10;

  @Test
  void gradientOfTheFrameworkLossMatchesNumericAndAnalyticGradients() {
    SparseSoftmaxGradient.register();
    SplittableRandom random = new SplittableRandom(11);
    float[] logits = new float[BATCH * CLASSES];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) (random.nextDouble() * 4 - 2);
    }
    int[] labels = {3, 0, 9, 3};
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(BATCH, CLASSES)));
      Placeholder<TInt32> y = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(BATCH)));
      Operand<TFloat32> loss = new SparseCategoricalCrossentropy(true).call(tf, y, x, null);
      Output<?>[] grad = g.addGradients(loss.asOutput(), new Output<?>[] {x.asOutput()});

      float[] tfGradient = run(s, x, y, logits, labels, grad[0]);
      float h = 1e-2f;
      for (int i = 0; i < logits.length; i++) {
        float[] plus = logits.clone();
        float[] minus = logits.clone();
        plus[i] += h;
        minus[i] -= h;
        double numeric = (run(s, x, y, plus, labels, loss.asOutput())[0]
            - run(s, x, y, minus, labels, loss.asOutput())[0]) / (2.0 * h);
        assertEquals(numeric, tfGradient[i], 2e-4, "d loss / d logit " + i + " (numeric)");
        assertEquals(analytic(logits, labels, i), tfGradient[i], 1e-6, "d loss / d logit " + i + " (closed form)");
      }
    }
  }

  /** (softmax(z) - onehot(y)) / batch: the gradient of the batch-mean cross-entropy. */
  private static double analytic(float[] logits, int[] labels, int index) {
    int row = index / CLASSES;
    int k = index % CLASSES;
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < CLASSES; j++) {
      max = Math.max(max, logits[row * CLASSES + j]);
    }
    double sum = 0;
    for (int j = 0; j < CLASSES; j++) {
      sum += Math.exp(logits[row * CLASSES + j] - max);
    }
    double softmax = Math.exp(logits[index] - max) / sum;
    return (softmax - (labels[row] == k ? 1 : 0)) / BATCH;
  }

  private static float[] run(Session s, Placeholder<TFloat32> x, Placeholder<TInt32> y, float[] logits,
      int[] labels, Output<?> fetch) {
    try (TFloat32 xt = TFloat32.tensorOf(Shape.of(BATCH, CLASSES), DataBuffers.of(logits));
        TInt32 yt = TInt32.tensorOf(Shape.of(BATCH), DataBuffers.of(labels));
        Result r = s.runner().feed(x, xt).feed(y, yt).fetch(fetch).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] out = new float[(int) t.size()];
      t.asRawTensor().data().asFloats().read(out);
      return out;
    }
  }
}
