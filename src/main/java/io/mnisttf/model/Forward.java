package io.mnisttf.model;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The outputs of one application of the network to a batch of images.
 *
 * @param logits the last layer's pre-softmax values, shape {@code [batch, 10]}
 * @param probabilities softmax of the logits, shape {@code [batch, 10]}, rows sum to 1
 */
public record Forward(Operand<TFloat32> logits, Operand<TFloat32> probabilities) {}
