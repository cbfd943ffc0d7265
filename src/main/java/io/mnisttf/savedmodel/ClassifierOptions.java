package io.mnisttf.savedmodel;

import java.util.Objects;

/**
 * How to open a SavedModel as an MNIST classifier.
 *
 * @param signatureKey the signature to use, or {@code null} to discover it ({@code serving_default} when
 *     suitable)
 * @param inputScale the pixel range the model expects, or {@link InputScale#AUTO} to calibrate
 * @param allowUnsafeOps load even when the graph holds ops that touch files, the network or processes
 * @param batchSize images per model call (a model with a fixed batch dimension uses its own)
 * @param calibrationSamples training images used to decide the input scale and the output kind
 */
public record ClassifierOptions(String signatureKey, InputScale inputScale, boolean allowUnsafeOps,
    int batchSize, int calibrationSamples) {
  public static final int BATCH_SIZE_DEFAULT = 1000;
  public static final int CALIBRATION_SAMPLES_DEFAULT = 1000;
  /** Discovered signature, automatic scale, unsafe ops refused, batches of 1000, 1000 calibration images. */
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
  }

  public ClassifierOptions withSignatureKey(String key) {
    return new ClassifierOptions(key, inputScale, allowUnsafeOps, batchSize, calibrationSamples);
  }

  public ClassifierOptions withInputScale(InputScale scale) {
    return new ClassifierOptions(signatureKey, scale, allowUnsafeOps, batchSize, calibrationSamples);
  }

  public ClassifierOptions withAllowUnsafeOps(boolean allow) {
    return new ClassifierOptions(signatureKey, inputScale, allow, batchSize, calibrationSamples);
  }

  public ClassifierOptions withBatchSize(int n) {
    return new ClassifierOptions(signatureKey, inputScale, allowUnsafeOps, n, calibrationSamples);
  }

  public ClassifierOptions withCalibrationSamples(int n) {
    return new ClassifierOptions(signatureKey, inputScale, allowUnsafeOps, batchSize, n);
  }
}
