package io.mnisttf.savedmodel.internal.runtime;

import java.nio.file.Path;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.tensorflow.GraphOperation;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import io.mnisttf.savedmodel.internal.preflight.CheckedModel;
import io.mnisttf.savedmodel.internal.preflight.OpScanner;
import io.mnisttf.savedmodel.internal.signature.SignatureSelector;
import io.mnisttf.savedmodel.ModelSignature;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.TensorSpec;
import io.mnisttf.util.Problems;

/**
 * A checked SavedModel loaded into TensorFlow (loading ran its restore and init ops): owns the bundle, and makes
 * {@link ModelCall}s of its signatures after checking them against the loaded graph. Thread-safe: calls share
 * the bundle's session, which TensorFlow runs concurrently, and {@link #close} waits for the calls under way
 * (a session closed under a running call would crash the process).
 */
public final class LoadedModel implements AutoCloseable {
  private final Path dir;
  private final SavedModelBundle bundle;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  /** Work on the session, which may throw the model's own error. */
  public interface SessionWork<T> {
    T run(Session session) throws SavedModelException;
  }

  private LoadedModel(Path dir, SavedModelBundle bundle) {
    this.dir = dir;
    this.bundle = bundle;
  }

  /** Loads a checked model (its MetaGraphDef of the checked tag set). */
  public static LoadedModel load(CheckedModel model) throws SavedModelException {
    Path dir = model.dir();
    try {
      return new LoadedModel(dir, SavedModelBundle.loader(dir.toString())
          .withTags(model.tags().toArray(String[]::new)).load());
    } catch (RuntimeException e) {
      throw new SavedModelException(dir, SavedModelException.Kind.TENSORFLOW_FAILED, "TensorFlow could not load the model: " + Problems.describe(e),
          e);
    }
  }

  /**
   * The calls of {@code signature}, in batches of {@code batchSize} images (unless the model fixes its batch
   * size), after checking the loaded graph's input and output against it.
   *
   * @throws SavedModelException when the loaded graph contradicts the signature
   */
  public ModelCall call(ModelSignature signature, int batchSize) throws SavedModelException {
    checkLoadedGraph(dir, bundle, signature);
    int chunk = signature.fixedBatch() > 0 ? (int) signature.fixedBatch() : batchSize;
    return new ModelCall(dir, signature, this, chunk);
  }

  /** Runs {@code work} on the session, which stays open until it returns. */
  public <T> T withSession(SessionWork<T> work) throws SavedModelException {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the model is closed");
      }
      return work.run(bundle.session());
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Checks the loaded graph's own idea of the input's shape before anything runs: a tensor of another rank
   * than a convolution expects aborts the whole process inside TensorFlow.
   */
  public static void checkLoadedGraph(Path dir, SavedModelBundle bundle, ModelSignature signature)
      throws SavedModelException {
    TensorSpec input = signature.input();
    GraphOperation op = bundle.graph().operation(OpScanner.nodeName(input.name()));
    if (op == null) {
      throw new SavedModelException(dir, SavedModelException.Kind.TENSORFLOW_FAILED, "the loaded graph has no input tensor '" + input.name() + "'");
    }
    Shape shape = op.output(outputIndex(input.name())).shape();
    long[] fed = signature.example() != null || signature.decode() != null ? signature.input().dims()
        : signature.layout().shape(signature.fixedBatch() > 0 ? signature.fixedBatch() : -1);
    if (!shape.isUnknown()) {
      long[] graphDims = shape.asArray();
      boolean ok = graphDims.length == fed.length;
      for (int i = 0; ok && i < fed.length; i++) {
        ok = graphDims[i] < 0 || fed[i] < 0 || graphDims[i] == fed[i];
      }
      if (!ok) {
        throw new SavedModelException(dir, SavedModelException.Kind.NOT_A_CLASSIFIER, "input '" + input.key() + "' has shape " + TensorSpec.shapeText(graphDims)
            + " in the loaded graph; MNIST images would be fed as " + TensorSpec.shapeText(fed));
      }
    }
    checkOutput(dir, bundle, signature.output(), true);
    if (signature.classLabels() != null) {
      checkOutput(dir, bundle, signature.classLabels(), false);
    }
  }

  private static void checkOutput(Path dir, SavedModelBundle bundle, TensorSpec output, boolean scores) throws SavedModelException {
    String outputName = output.name();
    GraphOperation outputOp = bundle.graph().operation(OpScanner.nodeName(outputName));
    if (outputOp == null) {
      throw new SavedModelException(dir, SavedModelException.Kind.TENSORFLOW_FAILED, "the loaded graph has no output tensor '" + outputName + "'");
    }
    int index = outputIndex(outputName);
    if (index >= outputOp.numOutputs()) {
      throw new SavedModelException(dir, SavedModelException.Kind.NOT_A_CLASSIFIER, "no tensor '" + outputName + "': " + outputOp.type() + " op '"
          + outputOp.name() + "' has " + outputOp.numOutputs() + " output(s)");
    }
    DataType type = outputOp.output(index).dataType();
    if (scores && !SignatureSelector.FLOAT_TYPES.contains(type)) {
      throw new SavedModelException(dir, SavedModelException.Kind.NOT_A_CLASSIFIER, "output tensor '" + outputName + "' is " + type
          + "; a float tensor of " + SignatureSelector.CLASSES + " class scores per image expected");
    }
    if (!scores && type != DataType.DT_STRING) {
      throw new SavedModelException(dir, SavedModelException.Kind.NOT_A_CLASSIFIER, "output tensor '" + outputName + "' is " + type
          + "; a string tensor of class labels expected");
    }
  }

  public static int outputIndex(String tensorName) {
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

  /**
   * Closes the bundle (session and graph) once the calls under way have returned; later closes do nothing, and
   * later model calls fail.
   */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        bundle.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
