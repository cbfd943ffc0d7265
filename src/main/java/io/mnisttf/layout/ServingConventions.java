package io.mnisttf.layout;

/**
 * The names TensorFlow Serving and every SavedModel loader agree on (tensorflow/python/saved_model/tag_constants.py
 * and signature_constants.py): what our exports use and what loading a stranger's model looks for first.
 */
public final class ServingConventions {
  /** The tag of the MetaGraphDef to serve. */
  public static final String SERVE_TAG = "serve";
  /** The signature served when a request names none. */
  public static final String DEFAULT_SIGNATURE = "serving_default";
  /** The method name of a predict signature. */
  public static final String PREDICT_METHOD = "tensorflow/serving/predict";
  /** The method name of a classify signature ({@code classes} and {@code scores} outputs). */
  public static final String CLASSIFY_METHOD = "tensorflow/serving/classify";
  /** A classify signature's output that labels each score. */
  public static final String CLASSIFY_CLASSES = "classes";
  /** A classify signature's output of scores. */
  public static final String CLASSIFY_SCORES = "scores";

  private ServingConventions() {}
}
