package io.mnisttf.serve;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * A SavedModel made with TF Java for the serving tests, with one signature per thing to test, all computed from
 * a small linear "digit" head whose answers the tests compute in plain Java ({@link #probabilities}):
 *
 * <ul>
 *   <li>{@code serving_default}: {@code images} float [-1,28,28] -> {@code probabilities} float [-1,10],
 *       {@code classes} int64 [-1] (our export's signature);
 *   <li>{@code cnn}: {@code images4} float [-1,28,28,1] through a 1x1 convolution (fed rank 3, TensorFlow aborts);
 *   <li>{@code classify} (method classify): {@code inputs} serialized tf.Examples with float feature {@code x}
 *       [784] -> {@code scores} float [-1,10], {@code classes} string [-1,10];
 *   <li>{@code regress} (method regress): {@code inputs} tf.Examples with float feature {@code y} [1] ->
 *       {@code outputs} = 2y + 1, float [-1,1];
 *   <li>{@code strings}: {@code text} string [-1] -> {@code echo_bytes} (the same strings), {@code length} int32;
 *   <li>{@code multi}: {@code a} float [-1,2], {@code b} int64 [-1] -> {@code sum} = a0 + a1 + b, float [-1];
 *   <li>{@code slow}: {@code n} int32 scalar -> {@code total} float scalar: n^3, counted one by one in a
 *       {@code While} loop (n = 6000 never ends in a test's time).
 * </ul>
 */
final class ServeTestModel {
  private ServeTestModel() {}

  /** The head's weight from pixel {@code p} to class {@code c}. */
  static float weight(int p, int c) {
    return ((p * 31 + c * 17) % 13 - 6) / 50f;
  }

  static float bias(int c) {
    return c / 10f;
  }

  /** The head's probabilities for 784 pixels, in plain Java (double precision). */
  static double[] probabilities(float[] pixels) {
    double[] z = new double[10];
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < 10; c++) {
      double s = bias(c);
      for (int p = 0; p < 784; p++) {
        s += (double) pixels[p] * weight(p, c);
      }
      z[c] = s;
      max = Math.max(max, s);
    }
    double total = 0;
    for (int c = 0; c < 10; c++) {
      z[c] = Math.exp(z[c] - max);
      total += z[c];
    }
    for (int c = 0; c < 10; c++) {
      z[c] /= total;
    }
    return z;
  }

  /** Exports the model into {@code dir} (created) and returns it. */
  static Path export(Path dir) throws IOException {
    float[][] w = new float[784][10];
    float[] b = new float[10];
    for (int c = 0; c < 10; c++) {
      b[c] = bias(c);
      for (int p = 0; p < 784; p++) {
        w[p][c] = weight(p, c);
      }
    }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> kernel = tf.withName("kernel").variable(tf.constant(w));
      Operand<TFloat32> biasVar = tf.withName("bias").variable(tf.constant(b));

      Placeholder<TFloat32> images = tf.withName("images").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, 28, 28)));
      Operand<TFloat32> probabilities = tf.withName("probabilities").nn.softmax(
          tf.math.add(tf.linalg.matMul(tf.reshape(images, tf.constant(new long[] {-1, 784})), kernel), biasVar));
      Operand<TInt64> classes = tf.withName("classes").math.argMax(probabilities, tf.constant(1), TInt64.class);

      Placeholder<TFloat32> images4 = tf.withName("images4").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, 28, 28, 1)));
      Operand<TFloat32> conv = tf.nn.conv2d(images4, tf.constant(new float[][][][] {{{{1f}}}}),
          List.of(1L, 1L, 1L, 1L), "VALID");
      Operand<TFloat32> cnnOut = tf.withName("cnn_probabilities").nn.softmax(
          tf.math.add(tf.linalg.matMul(tf.reshape(conv, tf.constant(new long[] {-1, 784})), kernel), biasVar));

      Placeholder<TString> examples = tf.withName("examples").placeholder(TString.class,
          Placeholder.shape(Shape.of(-1)));
      Operand<TFloat32> parsed = parse(tf, examples, "x", 784);
      Operand<TFloat32> scores = tf.withName("scores").nn.softmax(
          tf.math.add(tf.linalg.matMul(parsed, kernel), biasVar));
      Operand<TString> labels = tf.reshape(tf.constant(Shape.of(10),
          DataBuffers.ofObjects("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")), tf.constant(new long[] {1, 10}));
      Operand<TInt32> batch = tf.reshape(tf.gather(tf.shape(scores), tf.constant(0), tf.constant(0)),
          tf.constant(new long[] {1}));
      Operand<TString> labelRows = tf.withName("class_labels").tile(labels,
          tf.concat(List.of(batch, tf.constant(new int[] {1})), tf.constant(0)));

      Placeholder<TString> regressExamples = tf.withName("regress_examples").placeholder(TString.class,
          Placeholder.shape(Shape.of(-1)));
      Operand<TFloat32> regressed = tf.withName("regressed").math.add(
          tf.math.mul(parse(tf, regressExamples, "y", 1), tf.constant(2f)), tf.constant(1f));

      Placeholder<TString> text = tf.withName("text").placeholder(TString.class, Placeholder.shape(Shape.of(-1)));
      Operand<TString> echo = tf.withName("echo").identity(text);
      Operand<TInt32> length = tf.withName("length").strings.stringLength(text);

      Placeholder<TFloat32> a = tf.withName("a").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2)));
      Placeholder<TInt64> bIn = tf.withName("b").placeholder(TInt64.class, Placeholder.shape(Shape.of(-1)));
      Operand<TFloat32> sum = tf.withName("sum").math.add(tf.sum(a, tf.constant(1)),
          tf.dtypes.cast(bIn, TFloat32.class));

      Placeholder<TInt32> n = tf.withName("n").placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
      Operand<TFloat32> total = tf.withName("total").identity(countTo(tf, n));

      List<Signature> signatures = List.of(
          Signature.builder().key("serving_default").methodName("tensorflow/serving/predict")
              .input("images", images).output("probabilities", probabilities).output("classes", classes).build(),
          Signature.builder().key("cnn").methodName("tensorflow/serving/predict")
              .input("images4", images4).output("probabilities", cnnOut).build(),
          Signature.builder().key("classify").methodName("tensorflow/serving/classify")
              .input("inputs", examples).output("scores", scores).output("classes", labelRows).build(),
          Signature.builder().key("regress").methodName("tensorflow/serving/regress")
              .input("inputs", regressExamples).output("outputs", regressed).build(),
          Signature.builder().key("strings").methodName("tensorflow/serving/predict")
              .input("text", text).output("echo_bytes", echo).output("length", length).build(),
          Signature.builder().key("multi").methodName("tensorflow/serving/predict")
              .input("a", a).input("b", bIn).output("sum", sum).build(),
          Signature.builder().key("slow").methodName("tensorflow/serving/predict")
              .input("n", n).output("total", total).build());
      try (Session s = new Session(g)) {
        s.initialize();
        SavedModelBundle.Exporter exporter = SavedModelBundle.exporter(dir.toString()).withSession(s);
        signatures.forEach(exporter::withSignature);
        exporter.export();
      }
    }
    return dir;
  }

  /**
   * n^3 counted one by one in a {@code While} loop, as a float: 27 for n = 3 in microseconds, and for n = 6000
   * (2.16e11 iterations of a few microseconds each) longer than any test waits, on any machine.
   */
  private static Operand<TFloat32> countTo(Ops tf, Operand<TInt32> n) {
    Operand<TInt64> n64 = tf.dtypes.cast(n, TInt64.class);
    Operand<TInt64> limit = tf.math.mul(tf.math.mul(n64, n64), n64);
    ConcreteFunction cond = ConcreteFunction.create(f -> {
      Placeholder<TInt64> i = f.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
      Placeholder<TInt64> end = f.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
      Placeholder<TFloat32> count = f.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      return Signature.builder().key("count_cond").input("i", i).input("end", end).input("count", count)
          .output("more", f.math.less(i, end)).build();
    });
    ConcreteFunction body = ConcreteFunction.create(f -> {
      Placeholder<TInt64> i = f.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
      Placeholder<TInt64> end = f.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
      Placeholder<TFloat32> count = f.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      return Signature.builder().key("count_body").input("i", i).input("end", end).input("count", count)
          .output("i", f.math.add(i, f.constant(1L))).output("end", f.identity(end))
          .output("count", f.math.add(count, f.constant(1f))).build();
    });
    var loop = tf.whileOp(List.of(tf.constant(0L), limit, tf.constant(0f)), cond, body);
    @SuppressWarnings("unchecked")
    Operand<TFloat32> counted = (Operand<TFloat32>) loop.output().get(2);
    return counted;
  }

  /** A dense float feature of {@code width} values per serialized tf.Example. */
  private static Operand<TFloat32> parse(Ops tf, Operand<TString> serialized, String key, int width) {
    var parsed = tf.io.parseExample(serialized, strings(tf), strings(tf), strings(tf, key), strings(tf),
        List.of(tf.constant(new float[0])), 0L, List.of(), List.of(), List.of(), List.of(Shape.of(width)));
    @SuppressWarnings("unchecked")
    Operand<TFloat32> values = (Operand<TFloat32>) parsed.denseValues().get(0);
    return values;
  }

  private static Operand<TString> strings(Ops tf, String... values) {
    return tf.constant(Shape.of(values.length), values.length == 0
        ? DataBuffers.ofObjects(String.class, 0) : DataBuffers.ofObjects(values));
  }
}
