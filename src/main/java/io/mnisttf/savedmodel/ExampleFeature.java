package io.mnisttf.savedmodel;

import java.util.Arrays;
import java.util.Locale;
import org.tensorflow.proto.DataType;

/**
 * The dense feature of a {@code tf.Example} that carries the image, for a model whose input is a batch of
 * serialized {@code tf.Example} protos parsed inside the graph (TF1 Estimator and TF Serving exports).
 *
 * @param parseOp the op type that parses them: {@code ParseExample}, {@code ParseExampleV2} or
 *     {@code ParseSingleExample}
 * @param parseNode the parse op's node name (inside a function: {@code function/node})
 * @param key the feature key ({@code x}, {@code image}, ...)
 * @param dtype the feature's type: {@code DT_FLOAT} (a {@code float_list}) or {@code DT_INT64} (an
 *     {@code int64_list})
 * @param dims the feature's shape per example, as the parse op declares it ({@code [784]}, {@code [28,28]})
 */
public record ExampleFeature(String parseOp, String parseNode, String key, DataType dtype, long[] dims) {
  public ExampleFeature {
    dims = dims.clone();
  }

  @Override
  public long[] dims() {
    return dims.clone();
  }

  /** {@code tf.Example {x: float [784]}}. */
  public String describe() {
    return "tf.Example {" + key + ": " + (dtype == DataType.DT_INT64 ? "int64" : "float") + " "
        + TensorSpec.shapeText(dims) + "}";
  }

  /** {@code ParseExampleV2 'ParseExample/ParseExampleV2'}. */
  public String describeParser() {
    return String.format(Locale.ROOT, "%s '%s'", parseOp, parseNode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExampleFeature f && parseOp.equals(f.parseOp) && parseNode.equals(f.parseNode)
        && key.equals(f.key) && dtype == f.dtype && Arrays.equals(dims, f.dims);
  }

  @Override
  public int hashCode() {
    return (parseNode.hashCode() * 31 + key.hashCode()) * 31 + Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return describe() + " parsed by " + describeParser();
  }
}
