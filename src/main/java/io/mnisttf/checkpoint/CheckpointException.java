package io.mnisttf.checkpoint;

import io.mnisttf.util.FileProblemException;
import java.nio.file.Path;

/** A checkpoint folder or file is missing, incomplete or does not belong to this run. */
public final class CheckpointException extends FileProblemException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(Path path, String problem) {
    super(path, problem);
  }
}
