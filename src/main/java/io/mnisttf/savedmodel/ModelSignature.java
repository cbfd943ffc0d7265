package io.mnisttf.savedmodel;

import java.util.Set;
import org.tensorflow.proto.DataType;

/**
 * The signature chosen to classify MNIST images, and how to call it.
 *
 * @param key signature key ({@code serving_default}, ...), or {@link #TENSORS_KEY} when graph tensors are
 *     called by name
 * @param methodName its method name ({@code tensorflow/serving/predict}, or empty)
 * @param input the one input: a numeric image tensor, or a string tensor of serialized {@code tf.Example}s; its
 *     dims are the signature's, made more specific by the graph's placeholder when the signature leaves the
 *     rank unknown
 * @param layout how to shape MNIST images for that input (for {@code tf.Example}, for the image feature)
 * @param fixedBatch the batch size the input demands, or 0 when any batch size is accepted
 * @param output the float output with 10 values per example
 * @param example the {@code tf.Example} feature that carries the image when the input is a string tensor
 *     parsed in the graph, else {@code null}
 * @param decode how the graph decodes the images when the input is a string tensor of encoded images, else
 *     {@code null}
 * @param classLabels the string output that says which class each of {@code output}'s 10 scores belongs to,
 *     row by row (a {@code tensorflow/serving/classify} signature's {@code classes}, whose {@code scores} are
 *     top-k sorted), or {@code null} when the scores are in class order
 */
public record ModelSignature(String key, String methodName, TensorSpec input, InputLayout layout,
    long fixedBatch, TensorSpec output, ExampleFeature example, ImageDecode decode, TensorSpec classLabels) {
  /** The key shown when no signature is used: the input and output are graph tensors given by name. */
  public static final String TENSORS_KEY = "(graph tensors)";
  /** Integer input types, fed whole pixel values 0..255. */
  public static final Set<DataType> INTEGER_TYPES = Set.of(DataType.DT_UINT8, DataType.DT_INT32, DataType.DT_INT64);

  /** A signature whose input is the image tensor itself. */
  public ModelSignature(String key, String methodName, TensorSpec input, InputLayout layout, long fixedBatch,
      TensorSpec output) {
    this(key, methodName, input, layout, fixedBatch, output, null, null, null);
  }

  /** This signature with another output (and no class labels). */
  public ModelSignature withOutput(TensorSpec newOutput) {
    return new ModelSignature(key, methodName, input, layout, fixedBatch, newOutput, example, decode, null);
  }

  /** The type of the values fed: the input's, the {@code tf.Example} feature's, or uint8 for encoded images. */
  public DataType feedType() {
    return decode != null ? DataType.DT_UINT8 : example != null ? example.dtype() : input.dtype();
  }

  /**
   * Whether whole numbers are fed (uint8, int32, int64 inputs, int64 features, encoded images): only 0..255
   * makes sense.
   */
  public boolean integerFeed() {
    return INTEGER_TYPES.contains(feedType());
  }

  /**
   * What whole numbers the model is fed, for messages: {@code DT_UINT8 whole numbers}, or {@code encoded images
   * of whole 0..255 pixels}.
   */
  public String wholeNumbers() {
    return decode != null ? "encoded images of whole 0..255 pixels" : feedType() + " whole numbers";
  }

  /** Whether the input is one scalar string (ParseSingleExample, one encoded image): one image per call. */
  public boolean scalarInput() {
    return input.rank() == 0;
  }

  /**
   * How images are fed, for the report: {@code [-1,28,28]}, a padded layout, or
   * {@code tf.Example {x: float [784]}, parsed by ParseExampleV2 'ParseExample/ParseExampleV2'}.
   */
  public String describeFeed() {
    if (decode != null) {
      return decode.describe();
    }
    if (example == null) {
      return layout.describeFeed();
    }
    return example.describe() + (layout.padded() ? " (28x28 zero-padded to 32x32, " + InputLayout.PAD
        + " pixels per side)" : "") + ", parsed by " + example.describeParser();
  }

  /**
   * {@code serving_default: images DT_FLOAT [-1,28,28] -> probabilities DT_FLOAT [-1,10]}, with
   * {@code labelled by classes DT_STRING [-1,10]} for scores in label order.
   */
  public String describe() {
    return key + ": " + input.describe() + " -> " + output.describe()
        + (classLabels == null ? "" : " labelled by " + classLabels.describe());
  }

  /** {@code signature 'serving_default'}, or {@code tensors x:0 -> softmax:0}. */
  public String called() {
    return key.equals(TENSORS_KEY) ? "tensors " + input.name() + " -> " + output.name() : "signature '" + key + "'";
  }
}
