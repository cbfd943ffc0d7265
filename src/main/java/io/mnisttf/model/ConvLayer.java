package io.mnisttf.model;

import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A 2-D convolution with ReLU, optionally followed by max-pooling: {@code maxPool(relu(conv(x, kernel) + bias))},
 * stride 1, no padding ("valid"), channels last.
 *
 * @param name layer name, also the prefix of its variables ({@code conv2d_1_kernel}, {@code conv2d_1_bias})
 * @param kernel filters, shape {@code [size, size, inputChannels, filters]}
 * @param bias biases, shape {@code [filters]}
 * @param poolSize side and stride of the max-pooling window after the activation; 1 for none
 */
public record ConvLayer(String name, Variable<TFloat32> kernel, Variable<TFloat32> bias, int poolSize) {
  ConvLayer withPool(int size) {
    return new ConvLayer(name, kernel, bias, size);
  }
}
