package io.mnisttf.model;

/**
 * Adam's hyper-parameters, with Keras' defaults (keras.optimizers.Adam). Note that TF Java's own
 * {@code Adam.EPSILON_DEFAULT} is 1e-8; Keras uses 1e-7, and so do we.
 */
public record AdamConfig(float learningRate, float beta1, float beta2, float epsilon) {
  public static final float LEARNING_RATE_DEFAULT = 0.001f;
  public static final float BETA1_DEFAULT = 0.9f;
  public static final float BETA2_DEFAULT = 0.999f;
  public static final float EPSILON_DEFAULT = 1e-7f;
  public static final AdamConfig DEFAULTS =
      new AdamConfig(LEARNING_RATE_DEFAULT, BETA1_DEFAULT, BETA2_DEFAULT, EPSILON_DEFAULT);

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
  }

  public AdamConfig withLearningRate(float lr) {
    return new AdamConfig(lr, beta1, beta2, epsilon);
  }
}
