package io.mnisttf.savedmodel;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How to open a SavedModel as an MNIST classifier ({@link Classifiers#open}), with the defaults in
 * {@link #DEFAULTS}: in a worker process, discovered signature, automatic scale, unsafe ops refused.
 *
 * @param isolation where the model runs: in a worker process ({@link Isolation#WORKER}, the default, for models
 *     from strangers) or in this one ({@link Isolation#IN_PROCESS}, only for models you trust)
 * @param limits the worker's time and memory limits (unused in process)
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
 * @param calibrationData a folder with MNIST's training files to calibrate on, or {@code null} for the 1 000
 *     training images bundled in the jar; unused for our exports, which carry their contract
 * @param workerLog receives each line of the worker's standard error (TensorFlow's log), or {@code null} to drop
 *     them
 */
public record ClassifierOptions(Isolation isolation, WorkerLimits limits, String signatureKey, InputScale inputScale,
    boolean allowUnsafeOps, int batchSize, int calibrationSamples, String inputTensor, String outputTensor,
    String tagSet, String calibrationData, Consumer<String> workerLog) {
  /** Where the model runs. */
  public enum Isolation {
    /**
     * In a worker process: loading a SavedModel runs its ops inside TensorFlow's C++ code, where a malformed
     * model can abort or hang the process; the worker takes that, and the caller gets one exception.
     */
    WORKER,
    /** In this process: faster to start, for models you trust. */
    IN_PROCESS
  }

  public static final int BATCH_SIZE_DEFAULT = 1000;
  public static final int CALIBRATION_SAMPLES_DEFAULT = 1000;
  /**
   * In a worker process with {@link WorkerLimits#DEFAULTS}, discovered signature, automatic scale, unsafe ops
   * refused, batches of 1000, 1000 calibration images from the bundled sample, the {@code serve} tag set.
   */
  public static final ClassifierOptions DEFAULTS = new ClassifierOptions(Isolation.WORKER, WorkerLimits.DEFAULTS,
      null, InputScale.AUTO, false, BATCH_SIZE_DEFAULT, CALIBRATION_SAMPLES_DEFAULT, null, null, null, null, null);

  public ClassifierOptions {
    Objects.requireNonNull(isolation, "isolation");
    Objects.requireNonNull(limits, "limits");
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

  /** The tags of a comma-separated tag set, trimmed, empty ones dropped. */
  static List<String> tags(String tagSet) {
    return Arrays.stream(tagSet.split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList();
  }

  /** The requested tags, or {@code null} when none were requested. */
  public List<String> tagList() {
    return tagSet == null ? null : tags(tagSet);
  }

  /** Runs the model in this process (only for models you trust). */
  public ClassifierOptions inProcess() {
    return withIsolation(Isolation.IN_PROCESS);
  }

  public ClassifierOptions withIsolation(Isolation i) {
    return new ClassifierOptions(i, limits, signatureKey, inputScale, allowUnsafeOps, batchSize, calibrationSamples,
        inputTensor, outputTensor, tagSet, calibrationData, workerLog);
  }

  /** Runs the worker under these limits. */
  public ClassifierOptions withLimits(WorkerLimits l) {
    return new ClassifierOptions(isolation, l, signatureKey, inputScale, allowUnsafeOps, batchSize,
        calibrationSamples, inputTensor, outputTensor, tagSet, calibrationData, workerLog);
  }

  /** Calls this signature ({@code null}: discover it). */
  public ClassifierOptions withSignatureKey(String key) {
    return new ClassifierOptions(isolation, limits, key, inputScale, allowUnsafeOps, batchSize, calibrationSamples,
        inputTensor, outputTensor, tagSet, calibrationData, workerLog);
  }

  /** Feeds pixels at this scale ({@link InputScale#AUTO}: from the contract, else calibrate). */
  public ClassifierOptions withInputScale(InputScale scale) {
    return new ClassifierOptions(isolation, limits, signatureKey, scale, allowUnsafeOps, batchSize,
        calibrationSamples, inputTensor, outputTensor, tagSet, calibrationData, workerLog);
  }

  /** Loads models with unsafe ops too (only for models you trust). */
  public ClassifierOptions withAllowUnsafeOps(boolean allow) {
    return new ClassifierOptions(isolation, limits, signatureKey, inputScale, allow, batchSize, calibrationSamples,
        inputTensor, outputTensor, tagSet, calibrationData, workerLog);
  }

  /** Images per model call. */
  public ClassifierOptions withBatchSize(int n) {
    return new ClassifierOptions(isolation, limits, signatureKey, inputScale, allowUnsafeOps, n, calibrationSamples,
        inputTensor, outputTensor, tagSet, calibrationData, workerLog);
  }

  /** Training images to calibrate on (at most the calibration data holds). */
  public ClassifierOptions withCalibrationSamples(int n) {
    return new ClassifierOptions(isolation, limits, signatureKey, inputScale, allowUnsafeOps, batchSize, n,
        inputTensor, outputTensor, tagSet, calibrationData, workerLog);
  }

  /** Calls graph tensors by name ({@code "x:0"}, {@code "softmax:0"}) instead of a signature. */
  public ClassifierOptions withTensors(String input, String output) {
    return new ClassifierOptions(isolation, limits, signatureKey, inputScale, allowUnsafeOps, batchSize,
        calibrationSamples, input, output, tagSet, calibrationData, workerLog);
  }

  /** Loads the MetaGraphDef with these tags (comma separated). */
  public ClassifierOptions withTagSet(String tags) {
    return new ClassifierOptions(isolation, limits, signatureKey, inputScale, allowUnsafeOps, batchSize,
        calibrationSamples, inputTensor, outputTensor, tags, calibrationData, workerLog);
  }

  /** Calibrates on the training files of this MNIST folder instead of the bundled sample. */
  public ClassifierOptions withCalibrationData(String dir) {
    return new ClassifierOptions(isolation, limits, signatureKey, inputScale, allowUnsafeOps, batchSize,
        calibrationSamples, inputTensor, outputTensor, tagSet, dir, workerLog);
  }

  /** Sends each line of the worker's standard error (TensorFlow's log) to {@code log}. */
  public ClassifierOptions withWorkerLog(Consumer<String> log) {
    return new ClassifierOptions(isolation, limits, signatureKey, inputScale, allowUnsafeOps, batchSize,
        calibrationSamples, inputTensor, outputTensor, tagSet, calibrationData, log);
  }
}
