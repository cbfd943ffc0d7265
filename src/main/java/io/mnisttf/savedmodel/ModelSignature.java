package io.mnisttf.savedmodel;

/**
 * The signature chosen to classify MNIST images, and how to call it.
 *
 * @param key signature key ({@code serving_default}, ...)
 * @param methodName its method name ({@code tensorflow/serving/predict}, or empty)
 * @param input the one float input; its dims are the signature's, made more specific by the graph's
 *     placeholder when the signature leaves the rank unknown
 * @param layout how to shape MNIST images for that input
 * @param fixedBatch the batch size the input demands, or 0 when any batch size is accepted
 * @param output the float output with 10 values per example
 */
public record ModelSignature(String key, String methodName, TensorSpec input, InputLayout layout,
    long fixedBatch, TensorSpec output) {

  /** {@code serving_default: images DT_FLOAT [-1,28,28] -> probabilities DT_FLOAT [-1,10]}. */
  public String describe() {
    return key + ": " + input.describe() + " -> " + output.describe();
  }
}
