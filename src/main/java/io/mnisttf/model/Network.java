package io.mnisttf.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A network defined in a graph by our builders ({@link MlpGraphBuilder}, {@link CnnGraphBuilder}): its variables
 * and its forward pass, which can be applied to several inputs of the same graph (all applications share the
 * variables). {@link Networks#mnist} builds the one a {@link ModelConfig} describes.
 */
public interface Network {
  /**
   * Every variable, layer by layer, kernel before bias: all the network's trainable weights, each a
   * {@code VariableV2} with a flat, unique name.
   */
  List<Variable<TFloat32>> variables();

  /**
   * The inference forward pass of {@code images}, float32 {@code [batch, 28, 28]} (or flat {@code [batch, 784]}),
   * pixels in [0,1]: logits and probabilities {@code [batch, 10]}.
   */
  Forward apply(Ops tf, Operand<TFloat32> images);

  /**
   * The most examples to score in one session run (validation, test), or 0 for no limit: the MLP's activations
   * are small, a CNN's about 0.2 MB per image (a 6 000-image validation run in one piece took 1.7 GB).
   */
  default int scoringBatch() {
    return 0;
  }

  /**
   * Whether the training forward pass draws random numbers (dropout), so that it needs
   * {@link #applyTraining}'s step seed.
   */
  default boolean stochastic() {
    return false;
  }

  /**
   * The training forward pass: as {@link #apply}, with dropout where the network has it, its random mask drawn
   * by stateless random ops from {@code stepSeed} (int64 {@code [2]}), so that a step is a function of its
   * seed and a resumed run repeats it exactly. {@code stepSeed} may be null for a network that is not
   * {@link #stochastic()}.
   */
  default Forward applyTraining(Ops tf, Operand<TFloat32> images, Operand<TInt64> stepSeed) {
    return apply(tf, images);
  }
}
