package io.mnisttf.data;

import java.nio.file.Path;

/**
 * Where the data come from and how much of them is held out.
 *
 * @param dataDir folder with the four MNIST IDX files
 * @param validationFraction share of the training examples held out for validation, in (0, 1)
 * @param seed seed of the validation split
 * @param limit use only the first {@code limit} training examples (before the split); 0 means all
 */
public record DataConfig(Path dataDir, double validationFraction, long seed, int limit) {
  public static final double VALIDATION_FRACTION_DEFAULT = 0.1;
  public static final DataConfig DEFAULTS =
      new DataConfig(Mnist.DEFAULT_DIR, VALIDATION_FRACTION_DEFAULT, 42L, 0);

  public DataConfig {
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "validation split must be greater than 0 and less than 1, got " + validationFraction);
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
  }

  /** Number of the {@code available} training examples held out for validation (at least 1). */
  public int validationCount(int available) {
    return (int) Math.max(1, Math.round(available * validationFraction));
  }
}
