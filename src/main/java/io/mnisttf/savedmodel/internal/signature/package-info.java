/**
 * Internal: what to call in a model to classify MNIST images, decided from its declarations alone: the signature
 * (or graph tensors, or our export's contract), its input layout, a string input traced to its tf.Example parse or
 * image decode op, and class labels beside sorted scores.
 */
package io.mnisttf.savedmodel.internal.signature;
