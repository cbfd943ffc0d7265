package io.mnisttf.savedmodel;

import java.util.Locale;

/** The pixel range a model expects. */
public enum InputScale {
  /** Decide from a calibration sample of training images (the lower loss wins). */
  AUTO(Float.NaN),
  /** Pixels in [0,1] (Keras tutorials divide by 255). */
  UNIT(1f),
  /** Raw pixels 0..255. */
  BYTE(255f);

  private final float multiplier;

  InputScale(float multiplier) {
    this.multiplier = multiplier;
  }

  /** The factor that takes [0,1] pixels to this scale; NaN for {@link #AUTO}. */
  public float multiplier() {
    return multiplier;
  }

  /** The lower-case name used on the command line and in JSON ({@code unit}, {@code byte}, {@code auto}). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code [0,1]} or {@code 0..255}. */
  public String range() {
    return this == BYTE ? "0..255" : this == UNIT ? "[0,1]" : "auto";
  }
}
