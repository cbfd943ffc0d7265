package io.mnisttf.savedmodel;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How to open a SavedModel as an MNIST classifier. Plain values only (it crosses process boundaries as JSON).
 *
 * @param signatureKey the signature to use, or {@code null} to discover it ({@code serving_default} when
 *     suitable, or the one the export's contract names)
 * @param inputScale the pixel range the model expects, or {@link InputScale#AUTO} to take it from the export's
 *     contract or else calibrate
 * @param allowUnsafeOps load even when the graph holds ops that touch files, the network or processes
 * @param batchSize images per model call (a model with a fixed batch dimension uses its own)
 * @param calibrationSamples training images used to decide the input scale and the output kind
 * @param inputTensor a graph tensor to feed the images to ({@code "x:0"}), instead of a signature's input; set
 *     together with {@code outputTensor}, or both {@code null}
 * @param outputTensor the graph tensor holding the 10 class scores ({@code "softmax:0"}), or {@code null}
 * @param tagSet the MetaGraphDef's tags, comma separated ({@code "serve"}, {@code "serve,gpu"}), or {@code null}
 *     for {@code serve} (or the only tag set when there is no {@code serve})
 * @param calibrationData a folder with MNIST's training files to calibrate on, or {@code null} for the sample
 *     bundled in the jar ({@link CalibrationSample}); unused for our exports, which carry their contract
 */
public record ClassifierOptions(String signatureKey, InputScale inputScale, boolean allowUnsafeOps,
    int batchSize, int calibrationSamples, String inputTensor, String outputTensor, String tagSet,
    String calibrationData) {
  public static final int BATCH_SIZE_DEFAULT = 1000;
  public static final int CALIBRATION_SAMPLES_DEFAULT = 1000;
  /**
   * Discovered signature, automatic scale, unsafe ops refused, batches of 1000, 1000 calibration images from the
   * bundled sample, the {@code serve} tag set.
   */
  public static final ClassifierOptions DEFAULTS = new ClassifierOptions(null, InputScale.AUTO, false,
      BATCH_SIZE_DEFAULT, CALIBRATION_SAMPLES_DEFAULT);

  public ClassifierOptions {
    Objects.requireNonNull(inputScale, "inputScale");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    if (calibrationSamples < 1) {
      throw new IllegalArgumentException("calibration samples must be >= 1, got " + calibrationSamples);
    }
    if ((inputTensor == null) != (outputTensor == null)) {
      throw new IllegalArgumentException("an input tensor and an output tensor must be given together");
    }
    if (inputTensor != null && signatureKey != null) {
      throw new IllegalArgumentException("give either a signature or input and output tensors, not both");
    }
    if (tagSet != null && tags(tagSet).isEmpty()) {
      throw new IllegalArgumentException("the tag set is empty");
    }
  }

  /** The options of the first version: signature, scale, unsafe ops, batch and calibration sizes. */
  public ClassifierOptions(String signatureKey, InputScale inputScale, boolean allowUnsafeOps, int batchSize,
      int calibrationSamples) {
    this(signatureKey, inputScale, allowUnsafeOps, batchSize, calibrationSamples, null, null, null, null);
  }

  /** The tags of a comma-separated tag set, trimmed, empty ones dropped. */
  static List<String> tags(String tagSet) {
    return Arrays.stream(tagSet.split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList();
  }

  /** The requested tags, or {@code null} when none were requested. */
  public List<String> tagList() {
    return tagSet == null ? null : tags(tagSet);
  }

  /** Calls this signature ({@code null}: discover it). */
  public ClassifierOptions withSignatureKey(String key) {
    return new ClassifierOptions(key, inputScale, allowUnsafeOps, batchSize, calibrationSamples, inputTensor,
        outputTensor, tagSet, calibrationData);
  }

  /** Feeds pixels at this scale ({@link InputScale#AUTO}: from the contract, else calibrate). */
  public ClassifierOptions withInputScale(InputScale scale) {
    return new ClassifierOptions(signatureKey, scale, allowUnsafeOps, batchSize, calibrationSamples, inputTensor,
        outputTensor, tagSet, calibrationData);
  }

  /** Loads models with unsafe ops too (only for models you trust). */
  public ClassifierOptions withAllowUnsafeOps(boolean allow) {
    return new ClassifierOptions(signatureKey, inputScale, allow, batchSize, calibrationSamples, inputTensor,
        outputTensor, tagSet, calibrationData);
  }

  /** Images per model call. */
  public ClassifierOptions withBatchSize(int n) {
    return new ClassifierOptions(signatureKey, inputScale, allowUnsafeOps, n, calibrationSamples, inputTensor,
        outputTensor, tagSet, calibrationData);
  }

  /** Training images to calibrate on (at most the calibration data holds). */
  public ClassifierOptions withCalibrationSamples(int n) {
    return new ClassifierOptions(signatureKey, inputScale, allowUnsafeOps, batchSize, n, inputTensor,
        outputTensor, tagSet, calibrationData);
  }

  /** Calls graph tensors by name ({@code "x:0"}, {@code "softmax:0"}) instead of a signature. */
  public ClassifierOptions withTensors(String input, String output) {
    return new ClassifierOptions(signatureKey, inputScale, allowUnsafeOps, batchSize, calibrationSamples, input,
        output, tagSet, calibrationData);
  }

  /** Loads the MetaGraphDef with these tags (comma separated). */
  public ClassifierOptions withTagSet(String tags) {
    return new ClassifierOptions(signatureKey, inputScale, allowUnsafeOps, batchSize, calibrationSamples,
        inputTensor, outputTensor, tags, calibrationData);
  }

  /** Calibrates on the training files of this MNIST folder instead of the bundled sample. */
  public ClassifierOptions withCalibrationData(String dir) {
    return new ClassifierOptions(signatureKey, inputScale, allowUnsafeOps, batchSize, calibrationSamples,
        inputTensor, outputTensor, tagSet, dir);
  }
}
