package io.mnisttf.model;

/**
 * Adam's hyper-parameters, with Keras' defaults (keras.optimizers.Adam). Note that TF Java's own
 * {@code Adam.EPSILON_DEFAULT} is 1e-8; Keras uses 1e-7, and so do we.
 *
 * @param emaMomentum with a value in (0, 1), the trainer also keeps a moving average of the weights, updated after
 *     every step ({@code average -= (1 - momentum) * (average - weights)}: the average Keras' {@code use_ema} and
 *     {@code ema_momentum} keep, bias-corrected for the first steps as Adam's moments are: see
 *     {@link WeightAverage}), and the average is the model: what each epoch validates, early stopping keeps and
 *     the export holds. 0 (the default) keeps none
 */
public record AdamConfig(float learningRate, float beta1, float beta2, float epsilon, float emaMomentum) {
  public static final float LEARNING_RATE_DEFAULT = 0.001f;
  public static final float BETA1_DEFAULT = 0.9f;
  public static final float BETA2_DEFAULT = 0.999f;
  public static final float EPSILON_DEFAULT = 1e-7f;
  public static final AdamConfig DEFAULTS =
      new AdamConfig(LEARNING_RATE_DEFAULT, BETA1_DEFAULT, BETA2_DEFAULT, EPSILON_DEFAULT, 0f);

  public AdamConfig {
    if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
    }
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
    }
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("Adam epsilon must be > 0, got " + epsilon);
    }
    if (!(emaMomentum >= 0 && emaMomentum < 1)) {
      throw new IllegalArgumentException("the moving average's momentum must be in [0, 1) (0: none), got "
          + emaMomentum);
    }
  }

  public AdamConfig withLearningRate(float lr) {
    return new AdamConfig(lr, beta1, beta2, epsilon, emaMomentum);
  }

  /** Keeps a moving average of the weights with {@code momentum} (0: none). */
  public AdamConfig withEmaMomentum(float momentum) {
    return new AdamConfig(learningRate, beta1, beta2, epsilon, momentum);
  }

  /** Whether the trainer keeps a moving average of the weights. */
  public boolean averaged() {
    return emaMomentum > 0;
  }
}
