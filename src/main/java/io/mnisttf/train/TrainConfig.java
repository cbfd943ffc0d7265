package io.mnisttf.train;

import io.mnisttf.model.AdamConfig;
import io.mnisttf.model.ModelConfig;

/**
 * How to train: the tutorial's defaults are 5 epochs of batches of 100, a shuffle buffer of 10 000 and Adam
 * with Keras' defaults.
 *
 * @param epochs maximum number of epochs (early stopping may end sooner), >= 1
 * @param batchSize examples per step, >= 1
 * @param shuffleBuffer tf.data shuffle buffer size, >= 1
 * @param seed seed of the weight initialisation and of every epoch's shuffle
 * @param model network shape
 * @param adam optimizer hyper-parameters
 */
public record TrainConfig(int epochs, int batchSize, int shuffleBuffer, long seed, ModelConfig model,
    AdamConfig adam) {
  public static final int EPOCHS_DEFAULT = 5;
  public static final int BATCH_SIZE_DEFAULT = 100;
  public static final int SHUFFLE_BUFFER_DEFAULT = 10_000;
  public static final long SEED_DEFAULT = 42L;
  public static final TrainConfig DEFAULTS = new TrainConfig(EPOCHS_DEFAULT, BATCH_SIZE_DEFAULT,
      SHUFFLE_BUFFER_DEFAULT, SEED_DEFAULT, ModelConfig.DEFAULTS, AdamConfig.DEFAULTS);

  public TrainConfig {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    if (shuffleBuffer < 1) {
      throw new IllegalArgumentException("shuffle buffer must be >= 1, got " + shuffleBuffer);
    }
    java.util.Objects.requireNonNull(model, "model");
    java.util.Objects.requireNonNull(adam, "adam");
  }

  public TrainConfig withEpochs(int n) {
    return new TrainConfig(n, batchSize, shuffleBuffer, seed, model, adam);
  }

  public TrainConfig withSeed(long s) {
    return new TrainConfig(epochs, batchSize, shuffleBuffer, s, model, adam);
  }

  public TrainConfig withModel(ModelConfig m) {
    return new TrainConfig(epochs, batchSize, shuffleBuffer, seed, m, adam);
  }

  public TrainConfig withAdam(AdamConfig a) {
    return new TrainConfig(epochs, batchSize, shuffleBuffer, seed, model, a);
  }
}
