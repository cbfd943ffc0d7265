package io.mnisttf.model;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Loss and accuracy of one set of examples.
 *
 * @param loss mean cross-entropy, scalar
 * @param accuracy fraction classified correctly, scalar
 */
public record Scores(Operand<TFloat32> loss, Operand<TFloat32> accuracy) {}
