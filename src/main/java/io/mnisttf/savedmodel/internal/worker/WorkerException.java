package io.mnisttf.savedmodel.internal.worker;

import io.mnisttf.savedmodel.SavedModelException;
import java.nio.file.Path;

/**
 * The model worker failed: the model was refused or failed inside it (the worker's own one-line message), or
 * the worker died, hung, outgrew its memory or broke the protocol. The message is one line that starts with
 * the model.
 */
public final class WorkerException extends SavedModelException {
  private static final long serialVersionUID = 1L;

  public WorkerException(Path model, String problem) {
    super(model, problem);
  }

  private WorkerException(String message) {
    super(message);
  }

  /** An error the worker reported, whose message already names the model or file. */
  public static WorkerException withMessage(String message) {
    return new WorkerException(message);
  }
}
