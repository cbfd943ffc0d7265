package io.mnisttf.savedmodel.internal.preflight;

import java.nio.file.Path;
import io.mnisttf.savedmodel.SavedModelException;

/**
 * A SavedModel was refused before loading because its graph holds ops that touch files, the network or
 * processes (and {@code allowUnsafeOps} was not set), or ops this TensorFlow does not know.
 */
public final class UnsafeModelException extends SavedModelException {
  private static final long serialVersionUID = 1L;

  private final transient OpScan scan;

  public UnsafeModelException(Path path, String problem, OpScan scan) {
    super(path, problem);
    this.scan = scan;
  }

  /** The scan that found the ops. */
  public OpScan scan() {
    return scan;
  }
}
