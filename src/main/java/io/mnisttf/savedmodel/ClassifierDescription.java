package io.mnisttf.savedmodel;

import java.util.List;

/**
 * What a {@link DigitClassifier} opened and how it calls it: plain values only, so that it can cross a process
 * boundary as JSON.
 *
 * @param model the SavedModel folder actually loaded (a version folder when a Serving base folder was given)
 * @param tags the tag set of the MetaGraphDef loaded
 * @param unsafeOps the unsafe ops the model holds, which the user allowed, one description each (empty for a
 *     safe model)
 * @param signature the signature called, its input layout and output
 * @param calibration the input scale and output kind decided, and why
 * @param loadSeconds seconds TensorFlow took to load the model (restore and init ops included)
 * @param notes further one-line remarks for the user (how the input was adapted, warnings), in order
 */
public record ClassifierDescription(String model, List<String> tags, List<String> unsafeOps,
    ModelSignature signature, Calibration calibration, double loadSeconds, List<String> notes) {
  public ClassifierDescription {
    tags = List.copyOf(tags);
    unsafeOps = List.copyOf(unsafeOps);
    notes = List.copyOf(notes);
  }

  /** Whether the model holds unsafe ops that the user allowed. */
  public boolean unsafeOpsAllowed() {
    return !unsafeOps.isEmpty();
  }
}
