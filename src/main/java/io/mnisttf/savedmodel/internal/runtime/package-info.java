/**
 * Internal: a checked model in TensorFlow: loading it, feeding MNIST images in the form its input takes (shaped,
 * padded, typed, as tf.Examples or encoded images), reading its scores back in class order, calibrating the pixel
 * scale and output kind, and the in-process classifier.
 */
package io.mnisttf.savedmodel.internal.runtime;
