package io.mnisttf.model;

import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A fully connected layer: {@code activation(x @ kernel + bias)}.
 *
 * @param name layer name, also the prefix of its variables ({@code dense_1_kernel}, {@code dense_1_bias})
 * @param kernel weights, shape {@code [inputs, units]}
 * @param bias biases, shape {@code [units]}
 * @param activation applied after the affine transform
 */
public record DenseLayer(String name, Variable<TFloat32> kernel, Variable<TFloat32> bias,
    Activation activation) {}
