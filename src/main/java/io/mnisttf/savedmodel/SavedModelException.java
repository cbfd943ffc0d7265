package io.mnisttf.savedmodel;

import io.mnisttf.util.FileProblemException;
import java.nio.file.Path;

/**
 * A SavedModel cannot be used, as data: the folder or file concerned, the problem (what was expected and what
 * was found, in one line) and its {@link Kind}, which a caller acts on (the command line turns some kinds into a
 * hint naming the option that changes the outcome). It may come from this process or, relayed with its kind,
 * from the model worker.
 */
public final class SavedModelException extends FileProblemException {
  private static final long serialVersionUID = 1L;

  /** What kind of problem it is. */
  public enum Kind {
    /** The model's files are missing, truncated, malformed, or of another format than a SavedModel. */
    MODEL_FILES,
    /** A tag set, signature or graph tensor the caller named is not in the model (the message lists those that are). */
    NOT_FOUND,
    /** The model has several tag sets and none is {@code serve}: the caller must name one. */
    TAG_SET_NEEDED,
    /** The model holds op types this TensorFlow does not know. */
    UNKNOWN_OPS,
    /** The model holds ops that touch files, the network or processes, and the options do not allow them. */
    UNSAFE_OPS,
    /** Nothing in the model takes MNIST images and gives 10 class scores, or what was named does not. */
    NOT_A_CLASSIFIER,
    /** The model needs what this TensorFlow cannot do (a JAX module of a newer StableHLO, say). */
    UNSUPPORTED,
    /** The model's contract contradicts the model, or the calibration data cannot be used. */
    INCONSISTENT,
    /** TensorFlow failed to load the model, or to run it, or its output was not what it should be. */
    TENSORFLOW_FAILED,
    /** Loading (and calibrating) took longer than the load time limit; the worker was stopped. */
    LOAD_TIMEOUT,
    /** A batch took longer than the batch time limit; the worker was stopped. */
    BATCH_TIMEOUT,
    /** The model used more memory than the worker's limit; the worker was stopped. */
    MEMORY_LIMIT,
    /** The model worker died (a native abort or crash), broke its protocol, or could not be started. */
    WORKER_FAILED
  }

  private final Kind kind;

  public SavedModelException(Path path, Kind kind, String problem) {
    this(path, kind, problem, null);
  }

  public SavedModelException(Path path, Kind kind, String problem, Throwable cause) {
    super(path, problem, cause);
    this.kind = kind;
  }

  /** A problem with the model's files or content ({@link Kind#MODEL_FILES}). */
  public SavedModelException(Path path, String problem) {
    this(path, Kind.MODEL_FILES, problem, null);
  }

  /** A problem with the model's files or content ({@link Kind#MODEL_FILES}), with its cause. */
  public SavedModelException(Path path, String problem, Throwable cause) {
    this(path, Kind.MODEL_FILES, problem, cause);
  }

  /** What kind of problem it is. */
  public Kind kind() {
    return kind;
  }
}
