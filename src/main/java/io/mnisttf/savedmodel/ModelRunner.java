package io.mnisttf.savedmodel;

import io.mnisttf.data.MnistData;
import java.nio.file.Path;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * Owns a loaded SavedModelBundle and calls one signature (or a pair of graph tensors) with MNIST images: the
 * {@link InputFeeder} shapes, scales, pads and converts them (or wraps them in {@code tf.Example}s), the last
 * batch is padded for a model with a fixed batch size, and the 10 output values per image come back as float32
 * (converting float16 and float64 outputs). Not thread-safe.
 */
final class ModelRunner implements AutoCloseable {
  private static final int PIXELS = MnistData.PIXELS;
  private static final int CLASSES = SignatureSelector.CLASSES;

  /** Keras 3 models saved with tf.saved_model.save fail on every call this way (keras-team/keras#19274). */
  static final String UNRESTORED_VARIABLE_HINT = " (the model's variables were not restored: Keras 3 models saved"
      + " with tf.saved_model.save fail this way, keras-team/keras#19274; export them with model.export(dir))";

  private final Path dir;
  private final ModelSignature signature;
  private final SavedModelBundle bundle;
  private final int chunk;
  private final InputFeeder feeder;
  private float[] outputScratch = new float[0];
  private boolean closed;

  private ModelRunner(Path dir, ModelSignature signature, SavedModelBundle bundle, int chunk) {
    this.dir = dir;
    this.signature = signature;
    this.bundle = bundle;
    this.chunk = chunk;
    this.feeder = new InputFeeder(signature);
  }

  /**
   * Loads a checked model. Loading runs the model's restore and init ops.
   *
   * @param batchSize images per call, unless the model fixes its batch size
   */
  static ModelRunner load(CheckedModel model, int batchSize) throws SavedModelException {
    Path dir = model.dir();
    SavedModelBundle bundle;
    try {
      bundle = SavedModelBundle.loader(dir.toString()).withTags(model.tags().toArray(String[]::new)).load();
    } catch (RuntimeException e) {
      throw new SavedModelException(dir, "TensorFlow could not load the model: " + SavedModelException.firstLine(e),
          e);
    }
    try {
      ModelSignature signature = model.signature();
      checkLoadedGraph(dir, bundle, signature);
      int chunk = signature.fixedBatch() > 0 ? (int) signature.fixedBatch() : batchSize;
      return new ModelRunner(dir, signature, bundle, chunk);
    } catch (SavedModelException | RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  /**
   * Checks the loaded graph's own idea of the input's shape before anything runs: a tensor of another rank
   * than a convolution expects aborts the whole process inside TensorFlow.
   */
  static void checkLoadedGraph(Path dir, SavedModelBundle bundle, ModelSignature signature)
      throws SavedModelException {
    TensorSpec input = signature.input();
    GraphOperation op = bundle.graph().operation(OpScanner.nodeName(input.name()));
    if (op == null) {
      throw new SavedModelException(dir, "the loaded graph has no input tensor '" + input.name() + "'");
    }
    Shape shape = op.output(outputIndex(input.name())).shape();
    long[] fed = signature.example() != null ? signature.input().dims()
        : signature.layout().shape(signature.fixedBatch() > 0 ? signature.fixedBatch() : -1);
    if (!shape.isUnknown()) {
      long[] graphDims = shape.asArray();
      boolean ok = graphDims.length == fed.length;
      for (int i = 0; ok && i < fed.length; i++) {
        ok = graphDims[i] < 0 || fed[i] < 0 || graphDims[i] == fed[i];
      }
      if (!ok) {
        throw new SavedModelException(dir, "input '" + input.key() + "' has shape " + TensorSpec.shapeText(graphDims)
            + " in the loaded graph; MNIST images would be fed as " + TensorSpec.shapeText(fed));
      }
    }
    String outputName = signature.output().name();
    GraphOperation outputOp = bundle.graph().operation(OpScanner.nodeName(outputName));
    if (outputOp == null) {
      throw new SavedModelException(dir, "the loaded graph has no output tensor '" + outputName + "'");
    }
    int index = outputIndex(outputName);
    if (index >= outputOp.numOutputs()) {
      throw new SavedModelException(dir, "no tensor '" + outputName + "': " + outputOp.type() + " op '"
          + outputOp.name() + "' has " + outputOp.numOutputs() + " output(s)");
    }
    DataType type = outputOp.output(index).dataType();
    if (!SignatureSelector.FLOAT_TYPES.contains(type)) {
      throw new SavedModelException(dir, "output tensor '" + outputName + "' is " + type
          + "; a float tensor of " + CLASSES + " class scores per image expected");
    }
  }

  static int outputIndex(String tensorName) {
    int colon = tensorName.lastIndexOf(':');
    if (colon < 0) {
      return 0;
    }
    try {
      return Integer.parseInt(tensorName.substring(colon + 1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  ModelSignature signature() {
    return signature;
  }

  /**
   * Runs the model on {@code count} images.
   *
   * @param pixels {@code count * 784} pixels in [0,1], image after image, 28x28 row-major
   * @param multiplier factor applied to every pixel first (1 for [0,1], 255 for 0..255)
   * @param out receives {@code count * 10} raw output values
   * @throws SavedModelException when TensorFlow fails or the output has an unexpected shape
   */
  void run(float[] pixels, int count, float multiplier, float[] out) throws SavedModelException {
    if (closed) {
      throw new IllegalStateException("the model is closed");
    }
    if (pixels.length < (long) count * PIXELS || out.length < (long) count * CLASSES) {
      throw new IllegalArgumentException("buffers too small for " + count + " images");
    }
    for (int from = 0; from < count; from += chunk) {
      int n = Math.min(chunk, count - from);
      int rows = signature.fixedBatch() > 0 ? chunk : n;
      runChunk(pixels, from, n, rows, multiplier, out);
    }
  }

  private void runChunk(float[] pixels, int from, int n, int rows, float multiplier, float[] out)
      throws SavedModelException {
    String outputKey = signature.output().key();
    try (Tensor in = feeder.tensor(pixels, from, n, rows, multiplier);
        Result result = bundle.session().runner()
            .feed(signature.input().name(), in)
            .fetch(signature.output().name())
            .run()) {
      Tensor t = result.get(0);
      long[] dims = t.shape().asArray();
      boolean single = signature.scalarInput() && dims.length == 1 && dims[0] == CLASSES;
      if (!single && (dims.length != 2 || dims[0] != rows || dims[1] != CLASSES)) {
        throw new SavedModelException(dir, "output '" + outputKey + "' of " + called() + " gave shape "
            + TensorSpec.shapeText(dims) + " for " + rows + " images; [" + rows + "," + CLASSES + "] expected");
      }
      readOutput(t, rows, n, from, out);
    } catch (SavedModelException e) {
      throw e;
    } catch (RuntimeException e) {
      String tfMessage = SavedModelException.firstLine(e);
      throw new SavedModelException(dir, "calling " + called() + " failed: TensorFlow: "
          + tfMessage + (tfMessage.contains("Could not find variable") ? UNRESTORED_VARIABLE_HINT : ""), e);
    }
  }

  /** {@code signature 'serving_default'}, or {@code tensors x:0 -> softmax:0}. */
  private String called() {
    return signature.key().equals(ModelSignature.TENSORS_KEY)
        ? "tensors " + signature.input().name() + " -> " + signature.output().name()
        : "signature '" + signature.key() + "'";
  }

  private void readOutput(Tensor t, int rows, int n, int from, float[] out) {
    int size = rows * CLASSES;
    float[] target = out;
    long offset = (long) from * CLASSES;
    if (rows != n) {
      if (outputScratch.length < size) {
        outputScratch = new float[size];
      }
      target = outputScratch;
      offset = 0;
    }
    FloatDataBuffer dst = DataBuffers.of(target, false, false).slice(offset, size);
    if (t instanceof TFloat32 f32) {
      f32.copyTo(dst);
    } else if (t instanceof TFloat16 f16) {
      f16.copyTo(dst);
    } else if (t instanceof TFloat64 f64) {
      double[] values = new double[size];
      f64.copyTo(DataBuffers.of(values, false, false));
      for (int i = 0; i < size; i++) {
        dst.setFloat((float) values[i], i);
      }
    } else {
      throw new IllegalStateException("output is " + t.dataType() + ", not a float type");
    }
    if (target != out) {
      System.arraycopy(target, 0, out, from * CLASSES, n * CLASSES);
    }
  }

  /** Closes the bundle (session and graph); later calls do nothing. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      bundle.close();
    }
  }
}
