package io.mnisttf.train;

import io.mnisttf.data.Augmentation;
import io.mnisttf.model.AdamConfig;
import io.mnisttf.model.ModelConfig;
import java.util.Objects;

/**
 * How to train. The tutorial's MLP ({@link #DEFAULTS}): 5 epochs of batches of 100, a shuffle buffer of 10 000,
 * Adam with Keras' defaults, the images as they are, one TensorFlow thread. The CNN ({@link #CNN_DEFAULTS}): the
 * same, with 20 epochs, augmented images, two threads and a moving average of the weights.
 *
 * <p>A checkpoint written before the moving average existed has no {@code ema_momentum}: it reads back as 0, none,
 * which is how it was trained.
 *
 * <p>A checkpoint written before the CNN existed has neither {@code augmentation} nor {@code threads}: it reads
 * back as the MLP's (no augmentation, one thread).
 *
 * @param epochs maximum number of epochs (early stopping may end sooner), >= 1
 * @param batchSize examples per step, >= 1
 * @param shuffleBuffer tf.data shuffle buffer size, >= 1
 * @param seed seed of the weight initialisation, of every epoch's shuffle, augmentation and dropout
 * @param model network shape
 * @param adam optimizer hyper-parameters
 * @param augmentation how the training images are varied each epoch ({@link Augmentation#NONE}: not at all);
 *     null reads as none
 * @param threads TensorFlow threads per kernel (intra-op threads) of the training session, in [1, 64]; 0 reads
 *     as 1. The same seed gives the same bits with the same thread count; another count changes the last bits
 */
public record TrainConfig(int epochs, int batchSize, int shuffleBuffer, long seed, ModelConfig model,
    AdamConfig adam, Augmentation augmentation, int threads) {
  public static final int EPOCHS_DEFAULT = 5;
  /**
   * With its moving average, the CNN's validation loss still fell at epoch 15 at every seed tried, so 15 epochs cut
   * the runs short: at most 20 (the runs of src/site/markdown/cnn.md ended at 20, best epoch 19 or 20).
   */
  public static final int CNN_EPOCHS_DEFAULT = 20;
  public static final int BATCH_SIZE_DEFAULT = 100;
  public static final int SHUFFLE_BUFFER_DEFAULT = 10_000;
  public static final long SEED_DEFAULT = 42L;
  /** The MLP's kernels are too small to gain from a second thread. */
  public static final int THREADS_DEFAULT = 1;
  /** The CNN's convolutions use both cores of a 2-core machine. */
  public static final int CNN_THREADS_DEFAULT = 2;
  /** The tutorial's MLP. */
  public static final TrainConfig DEFAULTS = new TrainConfig(EPOCHS_DEFAULT, BATCH_SIZE_DEFAULT,
      SHUFFLE_BUFFER_DEFAULT, SEED_DEFAULT, ModelConfig.DEFAULTS, AdamConfig.DEFAULTS, Augmentation.NONE,
      THREADS_DEFAULT);
  /**
   * The CNN's moving average of the weights ({@link AdamConfig#emaMomentum}): a horizon of about 1 000 steps, two
   * epochs. Over three training seeds (src/site/markdown/cnn.md, 15 epochs) it took MNIST's test accuracy from
   * 0.9918-0.9924 to 0.9927-0.9932, and was better on printed digits and drawings at every seed.
   */
  public static final float CNN_EMA_MOMENTUM_DEFAULT = 0.999f;
  /** The CNN: Keras' simple MNIST convnet, augmented images, a moving average of the weights. */
  public static final TrainConfig CNN_DEFAULTS = new TrainConfig(CNN_EPOCHS_DEFAULT, BATCH_SIZE_DEFAULT,
      SHUFFLE_BUFFER_DEFAULT, SEED_DEFAULT, ModelConfig.CNN_DEFAULTS,
      AdamConfig.DEFAULTS.withEmaMomentum(CNN_EMA_MOMENTUM_DEFAULT), Augmentation.DEFAULTS, CNN_THREADS_DEFAULT);

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
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(adam, "adam");
    augmentation = augmentation == null ? Augmentation.NONE : augmentation;
    threads = threads == 0 ? THREADS_DEFAULT : threads;
    if (threads < 1 || threads > 64) {
      throw new IllegalArgumentException("threads must be in [1, 64], got " + threads);
    }
  }

  /** The defaults of {@code architecture}'s network: {@link #DEFAULTS} or {@link #CNN_DEFAULTS}. */
  public static TrainConfig defaults(ModelConfig.Architecture architecture) {
    return architecture == ModelConfig.Architecture.CNN ? CNN_DEFAULTS : DEFAULTS;
  }

  public TrainConfig withEpochs(int n) {
    return new TrainConfig(n, batchSize, shuffleBuffer, seed, model, adam, augmentation, threads);
  }

  public TrainConfig withSeed(long s) {
    return new TrainConfig(epochs, batchSize, shuffleBuffer, s, model, adam, augmentation, threads);
  }

  public TrainConfig withModel(ModelConfig m) {
    return new TrainConfig(epochs, batchSize, shuffleBuffer, seed, m, adam, augmentation, threads);
  }

  public TrainConfig withAdam(AdamConfig a) {
    return new TrainConfig(epochs, batchSize, shuffleBuffer, seed, model, a, augmentation, threads);
  }

  public TrainConfig withAugmentation(Augmentation a) {
    return new TrainConfig(epochs, batchSize, shuffleBuffer, seed, model, adam, a, threads);
  }

  public TrainConfig withThreads(int n) {
    return new TrainConfig(epochs, batchSize, shuffleBuffer, seed, model, adam, augmentation, n);
  }
}
