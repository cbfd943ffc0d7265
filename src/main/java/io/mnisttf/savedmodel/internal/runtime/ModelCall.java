package io.mnisttf.savedmodel.internal.runtime;

import io.mnisttf.data.MnistData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TString;
import io.mnisttf.savedmodel.internal.preflight.TfJavaLimits;
import io.mnisttf.savedmodel.internal.signature.SignatureSelector;
import io.mnisttf.savedmodel.ModelSignature;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.TensorSpec;
import io.mnisttf.util.Problems;

/**
 * Calls one signature (or a pair of graph tensors) of a {@link LoadedModel} with MNIST images: the
 * {@link InputFeeder} shapes, scales, pads and converts them (or wraps them in {@code tf.Example}s, or encodes
 * them as image files), the last batch is padded for a model with a fixed batch size, and the 10 output values
 * per image come back as float32 in class order (converting float16 and float64 outputs, and putting each score
 * at the digit its label names when a string output labels them). Thread-safe: every call has its own buffers.
 */
public final class ModelCall {
  private static final int PIXELS = MnistData.PIXELS;
  private static final int CLASSES = SignatureSelector.CLASSES;

  /** Keras 3 models saved with tf.saved_model.save fail on every call this way (keras-team/keras#19274). */
  public static final String UNRESTORED_VARIABLE_HINT = " (the model's variables were not restored: Keras 3 models saved"
      + " with tf.saved_model.save fail this way, keras-team/keras#19274; export them with model.export(dir))";

  private final Path dir;
  private final ModelSignature signature;
  private final LoadedModel model;
  private final int chunk;
  private final InputFeeder feeder;

  public ModelCall(Path dir, ModelSignature signature, LoadedModel model, int chunk) {
    this.dir = dir;
    this.signature = signature;
    this.model = model;
    this.chunk = chunk;
    this.feeder = new InputFeeder(signature);
  }

  public ModelSignature signature() {
    return signature;
  }

  /**
   * Runs the model on {@code count} images.
   *
   * @param pixels {@code count * 784} pixels in [0,1], image after image, 28x28 row-major
   * @param multiplier factor applied to every pixel first (1 for [0,1], 255 for 0..255)
   * @param out receives {@code count * 10} raw output values, in class order
   * @throws SavedModelException when TensorFlow fails or the output has an unexpected shape or labels
   */
  public void run(float[] pixels, int count, float multiplier, float[] out) throws SavedModelException {
    if (pixels.length < (long) count * PIXELS || out.length < (long) count * CLASSES) {
      throw new IllegalArgumentException("buffers too small for " + count + " images");
    }
    for (int from = 0; from < count; from += chunk) {
      int n = Math.min(chunk, count - from);
      int rows = signature.fixedBatch() > 0 ? chunk : n;
      int first = from;
      model.withSession(session -> {
        runChunk(session, pixels, first, n, rows, multiplier, out);
        return null;
      });
    }
  }

  private void runChunk(Session session, float[] pixels, int from, int n, int rows, float multiplier, float[] out)
      throws SavedModelException {
    Session.Runner runner = session.runner();
    TensorSpec labels = signature.classLabels();
    try (Tensor in = feeder.tensor(pixels, from, n, rows, multiplier)) {
      runner.feed(signature.input().name(), in).fetch(signature.output().name());
      if (labels != null) {
        runner.fetch(labels.name());
      }
      try (Result result = runner.run()) {
        float[] scores = readScores(result.get(0), rows);
        if (labels != null) {
          scores = inClassOrder(scores, (TString) result.get(1), rows);
        }
        System.arraycopy(scores, 0, out, from * CLASSES, n * CLASSES);
      }
    } catch (SavedModelException e) {
      throw e;
    } catch (RuntimeException e) {
      String tfMessage = Problems.describe(e);
      throw new SavedModelException(dir, SavedModelException.Kind.TENSORFLOW_FAILED, "calling " + signature.called() + " failed: TensorFlow: "
          + tfMessage + hint(tfMessage), e);
    }
  }

  /** What a TensorFlow error message means here, when it is one of the known failures; else empty. */
  public static String hint(String tfMessage) {
    if (tfMessage.contains("Could not find variable")) {
      return UNRESTORED_VARIABLE_HINT;
    }
    if (tfMessage.contains("Cannot deserialize computation")) {
      return " (the model's JAX/StableHLO module was written by a newer StableHLO or MLIR than TensorFlow "
          + io.mnisttf.compat.TfRuntime.CURRENT.version() + " reads; " + TfJavaLimits.JAX_EXPORT_FIX + ")";
    }
    return "";
  }

  /** The output's {@code rows * 10} values as float32, after checking its shape. */
  private float[] readScores(Tensor t, int rows) throws SavedModelException {
    checkShape(signature.output(), t.shape().asArray(), rows);
    int size = rows * CLASSES;
    float[] values = new float[size];
    FloatDataBuffer dst = DataBuffers.of(values, false, false);
    if (t instanceof TFloat32 f32) {
      f32.copyTo(dst);
    } else if (t instanceof TFloat16 f16) {
      f16.copyTo(dst);
    } else if (t instanceof TFloat64 f64) {
      double[] doubles = new double[size];
      f64.copyTo(DataBuffers.of(doubles, false, false));
      for (int i = 0; i < size; i++) {
        values[i] = (float) doubles[i];
      }
    } else {
      throw new SavedModelException(dir, SavedModelException.Kind.TENSORFLOW_FAILED, "output '" + signature.output().key() + "' of " + signature.called()
          + " is " + t.dataType() + ", not a float type");
    }
    return values;
  }

  private void checkShape(TensorSpec output, long[] dims, int rows) throws SavedModelException {
    boolean single = signature.scalarInput() && dims.length == 1 && dims[0] == CLASSES;
    if (!single && (dims.length != 2 || dims[0] != rows || dims[1] != CLASSES)) {
      throw new SavedModelException(dir, SavedModelException.Kind.TENSORFLOW_FAILED, "output '" + output.key() + "' of " + signature.called() + " gave shape "
          + TensorSpec.shapeText(dims) + " for " + rows + " images; [" + rows + "," + CLASSES + "] expected");
    }
  }

  /**
   * The scores put in class order: score {@code j} of a row goes to the digit its label (the labels output's
   * element {@code j}) names. Each row must label the digits 0 to 9 once each.
   */
  private float[] inClassOrder(float[] scores, TString labels, int rows) throws SavedModelException {
    TensorSpec spec = signature.classLabels();
    checkShape(spec, labels.shape().asArray(), rows);
    float[] ordered = new float[scores.length];
    for (int r = 0; r < rows; r++) {
      boolean[] seen = new boolean[CLASSES];
      for (int j = 0; j < CLASSES; j++) {
        byte[] raw = labels.shape().numDimensions() == 1 ? labels.asBytes().getObject(j)
            : labels.asBytes().getObject(r, j);
        String label = new String(raw, StandardCharsets.UTF_8).strip();
        int digit = label.length() == 1 && label.charAt(0) >= '0' && label.charAt(0) <= '9' ? label.charAt(0) - '0' : -1;
        if (digit < 0 || seen[digit]) {
          throw new SavedModelException(dir, SavedModelException.Kind.TENSORFLOW_FAILED, "output '" + spec.key() + "' of " + signature.called() + " labels a"
              + " score '" + label + "' in row " + r + "; the digits 0 to 9, once each, expected");
        }
        seen[digit] = true;
        ordered[r * CLASSES + digit] = scores[r * CLASSES + j];
      }
    }
    return ordered;
  }
}
