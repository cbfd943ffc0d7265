package io.mnisttf.tensorboard;

/**
 * How a scalar is stored in a {@code Summary.Value}; the two forms are alternatives of one protobuf
 * {@code oneof}, so a value holds exactly one of them. TensorBoard shows both the same way.
 */
public enum ScalarFormat {
  /**
   * {@code simple_value}, a float32: the smallest record (about 50 bytes a step, framing included), read by every
   * TensorBoard version, which converts it to the tensor form when loading.
   */
  SIMPLE_VALUE,
  /**
   * What TF2's {@code tf.summary.scalar} and Keras write: a float32 scalar {@code tensor}; the first value of
   * each tag in a file carries {@code metadata.plugin_data.plugin_name = "scalars"} and
   * {@code data_class = DATA_CLASS_SCALAR}, as TensorFlow's file writer keeps metadata only on the first value
   * of a tag.
   */
  TENSOR
}
