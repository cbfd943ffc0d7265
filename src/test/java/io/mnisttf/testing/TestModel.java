package io.mnisttf.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Builds and exports test SavedModels with TF Java, the way our own export is written
 * ({@code SavedModelBundle.exporter(dir).withSession(s).withSignature(sig).export()}, VariableV2 variables),
 * computing {@link TestData#centroids()}'s classifier in one of many shapes. The defaults give a linear
 * model: input {@code images} float32 {@code [-1,28,28]} in [0,1], outputs {@code probabilities} float32
 * {@code [-1,10]} and {@code classes} int64 {@code [-1]}, signature {@code serving_default}.
 */
public final class TestModel {
  public long[] inputShape = {-1, 28, 28};
  public Class<? extends TType> inputType = TFloat32.class;
  /** A 1x1 convolution on a [-1,28,28,1] input (NHWC) before the dense layers. */
  public boolean conv;
  /** Our export's network, 784-50-50-10 with ReLUs, computing the same logits as the linear model. */
  public boolean mlp;
  public boolean logits;
  public boolean float16Output;
  /** Weights divided by 255: the model expects raw 0..255 pixels. */
  public boolean expectsBytes;
  public String signatureKey = "serving_default";
  public String inputKey = "images";
  /** serving_default takes serialized strings (like TF1 classify signatures); the images go to predict_images. */
  public boolean stringServingDefault;
  /**
   * {@code serving_default} is a {@code tensorflow/serving/classify} signature as TF Serving's MNIST example
   * writes it: {@code scores} are the probabilities sorted by {@code tf.nn.top_k}, {@code classes} the digit of
   * each (strings {@link #classLabels}); the probabilities themselves are in a {@code predict_images} signature.
   */
  public boolean classifyServingDefault;
  /** With {@link #classifyServingDefault}: the labels of the ten classes, by index. */
  public String[] classLabels = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  /** With {@link #classifyServingDefault}: its {@code classes} output is left out, only the sorted scores remain. */
  public boolean unlabelledSortedScores;
  /** All weights zero: the output is the same for every image (softmax of the biases). */
  public boolean constantOutput;
  /** The bias of class 0 raised by 100 (with logits output): class 0 wins for every image. */
  public boolean alwaysClass0;
  /** An always-false assertion guards the output: every call fails. */
  public boolean failsAtRunTime;
  /**
   * The bias is a resource variable that nothing saves or restores, as in Keras 3 models saved with
   * tf.saved_model.save (keras-team/keras#19274): loading works, every call fails.
   */
  public boolean unrestoredResourceVariable;
  /** The input is cast to float32 and multiplied by 1/255 inside the graph (a Keras Rescaling layer). */
  public boolean rescaleInside;
  /**
   * The input is a batch of serialized tf.Example protos (placeholder {@code input_example_tensor}, key
   * {@code examples}) parsed by this op ({@code ParseExampleV2} or {@code ParseSingleExample}) into the dense
   * feature {@link #exampleKey} of shape {@code inputShape} without its batch dimension; {@code null}: a plain
   * image input.
   */
  public String exampleParser;
  public String exampleKey = "x";
  /** The tf.Example feature is an int64_list of 0..255 pixels (the weights expect [0,1], so it is rescaled). */
  public boolean exampleInt64;
  /** The ParseExampleV2 front end lives in a library function called from the graph (as TF2 exports do). */
  public boolean exampleInFunction;
  /** Tags of the MetaGraphDef written. */
  public String[] tags = {"serve"};
  /** Remove every SignatureDef after export (a TF1 graph called by tensor names: images:0 -> softmax:0). */
  public boolean noSignatures;
  /** A WriteFile op writing this file, run at load time as the saved_model_main_op. */
  public Path writeFileOnLoad;
  /** A ReadFile op reading this file when the model is called (its length times 0 is added to the output). */
  public Path readFileOnCall;

  public static TestModel linear() {
    return new TestModel();
  }

  /** Like our own export: [-1,28,28] input, 784-50-50-10 MLP, probabilities and classes. */
  public static TestModel ours() {
    TestModel m = new TestModel();
    m.mlp = true;
    return m;
  }

  public TestModel with(java.util.function.Consumer<TestModel> change) {
    change.accept(this);
    return this;
  }

  /** Exports into {@code dir} (created) and returns it. */
  @SuppressWarnings("unchecked")
  public Path export(Path dir) throws IOException {
    TestData.Centroids centroids = TestData.centroids();
    float[][] w = centroids.w();
    if (constantOutput) {
      w = new float[w.length][10];
    }
    float[] biases = centroids.b().clone();
    if (alwaysClass0) {
      biases[0] += 100f;
    }
    if (expectsBytes) {
      float[][] scaled = new float[w.length][];
      for (int p = 0; p < w.length; p++) {
        scaled[p] = w[p].clone();
        for (int c = 0; c < 10; c++) {
          scaled[p][c] /= 255f;
        }
      }
      w = scaled;
    }
    int side = padded() ? 32 : 28;
    if (padded()) {
      w = padWeights(w);
    }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<?> x = exampleParser != null ? parsedExamples(tf) : tf.withName("images").placeholder(inputType,
          Placeholder.shape(Shape.of(inputShape)));
      Operand<TFloat32> xf = x.type() == TFloat32.class ? (Operand<TFloat32>) x : tf.dtypes.cast(x, TFloat32.class);
      if (rescaleInside || exampleInt64) {
        xf = tf.math.mul(xf, tf.constant(1f / 255f));
      }
      if (conv) {
        xf = tf.nn.conv2d(xf, tf.constant(new float[][][][] {{{{1f}}}}), List.of(1L, 1L, 1L, 1L), "VALID");
      }
      Operand<TFloat32> flat = tf.reshape(xf, tf.constant(new long[] {-1, side * side}));
      Operand<TFloat32> bias = mlp ? null : unrestoredResourceVariable
          ? tf.readVariableOp(tf.withName("unrestored_bias").varHandleOp(TFloat32.class, Shape.of(10),
              VarHandleOp.sharedName("unrestored_bias")), TFloat32.class)
          : tf.withName("dense_bias").variable(tf.constant(biases));
      Operand<TFloat32> z = mlp ? mlp(tf, flat, w, biases) : tf.math.add(
          tf.linalg.matMul(flat, tf.withName("dense_kernel").variable(tf.constant(w))), bias);
      Operand<TFloat32> out = logits ? z : tf.withName("softmax").nn.softmax(z);
      List<Op> guards = new ArrayList<>();
      if (failsAtRunTime) {
        guards.add(tf.assertThat(tf.constant(false), List.of(tf.constant("this model always fails"))));
      }
      if (readFileOnCall != null) {
        // A data dependency: grappler prunes stateless ops that only a control edge reaches.
        Operand<TString> content = tf.withName("read_file").io.readFile(tf.constant(readFileOnCall.toString()));
        out = tf.math.add(out, tf.math.mul(tf.constant(0f),
            tf.dtypes.cast(tf.strings.stringLength(content), TFloat32.class)));
      }
      if (!guards.isEmpty()) {
        out = tf.withControlDependencies(guards).identity(out);
      }
      Operand<?> output = float16Output ? tf.dtypes.cast(out, TFloat16.class) : out;
      Operand<TInt64> classes = tf.math.argMax(out, tf.constant(1), TInt64.class);
      if (writeFileOnLoad != null) {
        tf.withName("write_file").io.writeFile(tf.constant(writeFileOnLoad.toString()), tf.constant("written at load"));
      }
      String imagesKey = stringServingDefault || classifyServingDefault ? "predict_images" : signatureKey;
      Operand<?> signatureInput = exampleParser != null ? g.operation("input_example_tensor").output(0) : x;
      Signature images = Signature.builder().key(imagesKey).methodName("tensorflow/serving/predict")
          .input(exampleParser != null ? "examples" : inputKey, signatureInput).output(logits ? "logits" : "probabilities", output).output("classes", classes).build();
      Signature strings = null;
      if (stringServingDefault) {
        Placeholder<TString> examples = tf.withName("examples").placeholder(TString.class,
            Placeholder.shape(Shape.of(-1)));
        strings = Signature.builder().key("serving_default").methodName("tensorflow/serving/classify")
            .input("inputs", examples).output("classes", tf.identity(examples)).build();
      }
      if (classifyServingDefault) {
        var top = tf.withName("top_k").nn.topK(out, tf.constant(10), org.tensorflow.types.TInt32.class);
        Operand<TString> labels = strings(tf, classLabels);
        Signature.Builder classify = Signature.builder().key("serving_default")
            .methodName("tensorflow/serving/classify").input(exampleParser != null ? "inputs" : inputKey,
                signatureInput).output("scores", top.values());
        if (!unlabelledSortedScores) {
          classify.output("classes", tf.withName("class_labels").gather(labels, top.indices(), tf.constant(0)));
        }
        strings = classify.build();
      }
      try (Session s = new Session(g)) {
        s.initialize();
        SavedModelBundle.Exporter exporter = SavedModelBundle.exporter(dir.toString()).withSession(s)
            .withSignature(images).withTags(tags);
        if (strings != null) {
          exporter.withSignature(strings);
        }
        exporter.export();
      }
    }
    if (noSignatures) {
      edit(dir, m -> {
        m.getMetaGraphsBuilder(0).clearSignatureDef();
        return m;
      });
    }
    if (writeFileOnLoad != null) {
      edit(dir, m -> {
        m.getMetaGraphsBuilder(0).putCollectionDef("saved_model_main_op", CollectionDef.newBuilder()
            .setNodeList(CollectionDef.NodeList.newBuilder().addValue("write_file")).build());
        return m;
      });
    }
    return dir;
  }

  private boolean padded() {
    return inputShape[inputShape.length - 1] == 32 || inputShape[inputShape.length - 1] == 1024
        || (inputShape.length == 4 && inputShape[1] == 32);
  }

  /** The 784x10 weights in a 32x32 frame: the 2-pixel border gets weights that punish a wrong padding. */
  private static float[][] padWeights(float[][] w) {
    float[][] padded = new float[1024][10];
    for (int r = 0; r < 32; r++) {
      for (int c = 0; c < 32; c++) {
        boolean inside = r >= 2 && r < 30 && c >= 2 && c < 30;
        for (int k = 0; k < 10; k++) {
          padded[r * 32 + c][k] = inside ? w[(r - 2) * 28 + (c - 2)][k] : (k % 2 == 0 ? 5f : -5f);
        }
      }
    }
    return padded;
  }

  /** The tf.Example front end: a string placeholder parsed into the image feature, shaped as {@code inputShape}. */
  private Operand<?> parsedExamples(Ops tf) {
    long[] featureDims = java.util.Arrays.copyOfRange(inputShape, 1, inputShape.length);
    Class<? extends TType> type = exampleInt64 ? TInt64.class : TFloat32.class;
    Operand<?> noDefault = exampleInt64 ? tf.constant(new long[0]) : tf.constant(new float[0]);
    if ("ParseSingleExample".equals(exampleParser)) {
      Placeholder<TString> serialized = tf.withName("input_example_tensor").placeholder(TString.class,
          Placeholder.shape(Shape.scalar()));
      var parsed = tf.io.parseSingleExample(serialized, List.of(noDefault), 0L, List.of(), List.of(exampleKey),
          List.of(), List.of(Shape.of(featureDims)));
      return tf.expandDims(parsed.denseValues().get(0), tf.constant(0));
    }
    Placeholder<TString> serialized = tf.withName("input_example_tensor").placeholder(TString.class,
        Placeholder.shape(Shape.of(-1)));
    if (exampleInFunction) {
      ConcreteFunction parse = ConcreteFunction.create(ftf -> {
        Placeholder<TString> examples = ftf.withName("examples").placeholder(TString.class,
            Placeholder.shape(Shape.of(-1)));
        var p = ftf.io.parseExample(examples, strings(ftf), strings(ftf), strings(ftf, exampleKey), strings(ftf),
            List.of(exampleInt64 ? ftf.constant(new long[0]) : ftf.constant(new float[0])), 0L, List.of(), List.of(),
            List.of(), List.of(Shape.of(featureDims)));
        return Signature.builder().key("parse_examples").input("examples", examples)
            .output("image", p.denseValues().get(0)).build();
      });
      return tf.call(parse, serialized);
    }
    var parsed = tf.io.parseExample(tf.identity(serialized), strings(tf), strings(tf),
        strings(tf, exampleKey), strings(tf), List.of(noDefault), 0L, List.of(),
        List.of(), List.of(), List.of(Shape.of(featureDims)));
    if (parsed.denseValues().get(0).type() != type) {
      throw new IllegalStateException("unexpected parsed type " + parsed.denseValues().get(0).type());
    }
    return parsed.denseValues().get(0);
  }

  private static Operand<TString> strings(Ops tf, String... values) {
    return tf.constant(Shape.of(values.length), values.length == 0
        ? org.tensorflow.ndarray.buffer.DataBuffers.ofObjects(String.class, 0)
        : org.tensorflow.ndarray.buffer.DataBuffers.ofObjects(values));
  }

  /** Flatten -> Dense(50, relu) -> Dense(50, relu) -> Dense(10): the first 20 units carry z and -z. */
  private static Operand<TFloat32> mlp(Ops tf, Operand<TFloat32> flat, float[][] w, float[] b) {
    int hidden = 50;
    float[][] w1 = new float[784][hidden];
    float[] b1 = new float[hidden];
    for (int p = 0; p < 784; p++) {
      for (int c = 0; c < 10; c++) {
        w1[p][c] = w[p][c];
        w1[p][c + 10] = -w[p][c];
      }
    }
    for (int c = 0; c < 10; c++) {
      b1[c] = b[c];
      b1[c + 10] = -b[c];
    }
    float[][] w2 = new float[hidden][hidden];
    for (int i = 0; i < 20; i++) {
      w2[i][i] = 1f;
    }
    float[][] w3 = new float[hidden][10];
    for (int c = 0; c < 10; c++) {
      w3[c][c] = 1f;
      w3[c + 10][c] = -1f;
    }
    Operand<TFloat32> h1 = tf.nn.relu(tf.math.add(tf.linalg.matMul(flat, tf.withName("dense_1_kernel")
        .variable(tf.constant(w1))), tf.withName("dense_1_bias").variable(tf.constant(b1))));
    Operand<TFloat32> h2 = tf.nn.relu(tf.math.add(tf.linalg.matMul(h1, tf.withName("dense_2_kernel")
        .variable(tf.constant(w2))), tf.withName("dense_2_bias").variable(tf.constant(new float[hidden]))));
    return tf.math.add(tf.linalg.matMul(h2, tf.withName("dense_3_kernel").variable(tf.constant(w3))),
        tf.withName("dense_3_bias").variable(tf.constant(new float[10])));
  }

  /** Rewrites the model's saved_model.pb through {@code change}. */
  public static void edit(Path dir, UnaryOperator<SavedModel.Builder> change) throws IOException {
    Path file = dir.resolve("saved_model.pb");
    SavedModel.Builder builder = SavedModel.parseFrom(Files.readAllBytes(file)).toBuilder();
    SavedModel edited = change.apply(builder).build();
    try (OutputStream out = Files.newOutputStream(file)) {
      edited.writeTo(out);
    }
  }

  /** Keeps only the first {@code bytes} bytes of a file. */
  public static void truncate(Path file, long bytes) throws IOException {
    byte[] all = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(all, (int) Math.min(bytes, all.length)));
  }
}
