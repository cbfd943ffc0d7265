package io.mnisttf.model;

import org.tensorflow.op.Ops;

/** Builds the network a {@link ModelConfig} describes. */
public final class Networks {
  private Networks() {}

  /**
   * Defines the network of {@code config} in {@code tf}'s graph: {@link MlpGraphBuilder#mnist} or
   * {@link CnnGraphBuilder#mnist}. With a {@code seed}, its variables are initialised from it (Keras'
   * initialisation); without, they have no initializer and must be restored from a checkpoint.
   */
  public static Network mnist(Ops tf, ModelConfig config, Long seed) {
    return switch (config.architecture()) {
      case MLP -> MlpGraphBuilder.mnist(tf, config, seed);
      case CNN -> CnnGraphBuilder.mnist(tf, config, seed);
    };
  }
}
