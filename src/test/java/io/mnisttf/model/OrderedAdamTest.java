package io.mnisttf.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/** Adam's steps against a reference implementation in Java (Keras' update rule, bias correction beta^t). */
class OrderedAdamTest {
  @Test
  void everyStepUsesTheBiasCorrectionOfItsOwnStepNumber() {
    float[] start = {1f, -2f, 0.5f};
    for (int interOpThreads : new int[] {-1, 1, 2}) {
      try (Graph g = new Graph()) {
        Ops tf = Ops.create(g);
        Variable<TFloat32> w = tf.withName("w").variable(tf.constant(start));
        Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(w, w), tf.constant(new int[] {0})); // gradient 2w
        Op train = new OrderedAdam(g, AdamConfig.DEFAULTS).minimize(loss);
        ConfigProto config = ConfigProto.newBuilder().setInterOpParallelismThreads(interOpThreads).build();
        try (Session s = new Session(g, config)) {
          s.initialize();
          double[] reference = {start[0], start[1], start[2]};
          double[] m = new double[3];
          double[] v = new double[3];
          for (int step = 1; step <= 5; step++) {
            s.runner().addTarget(train).run().close();
            for (int i = 0; i < 3; i++) {
              double grad = 2 * reference[i];
              m[i] = 0.9 * m[i] + 0.1 * grad;
              v[i] = 0.999 * v[i] + 0.001 * grad * grad;
              double lrT = 0.001 * Math.sqrt(1 - Math.pow(0.999, step)) / (1 - Math.pow(0.9, step));
              reference[i] -= lrT * m[i] / (Math.sqrt(v[i]) + 1e-7);
            }
            try (Result r = s.runner().fetch(w).fetch("beta1_power").fetch("beta2_power").run()) {
              TFloat32 weights = (TFloat32) r.get(0);
              for (int i = 0; i < 3; i++) {
                assertEquals(reference[i], weights.getFloat(i), 2e-6,
                    "step " + step + ", weight " + i + ", inter-op threads " + interOpThreads);
              }
              assertEquals(Math.pow(0.9, step + 1), ((TFloat32) r.get(1)).getFloat(), 1e-6);
              assertEquals(Math.pow(0.999, step + 1), ((TFloat32) r.get(2)).getFloat(), 1e-6);
            }
          }
          assertEquals(start[0] - 0.005, reference[0], 1e-4, "five steps of about lr each");
        }
      }
    }
  }
}
