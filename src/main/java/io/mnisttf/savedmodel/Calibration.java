package io.mnisttf.savedmodel;

/**
 * What calibration on a sample of training images decided.
 *
 * @param scale the pixel range fed to the model ({@link InputScale#UNIT} or {@link InputScale#BYTE})
 * @param scaleReason why: the losses and accuracies compared, or "requested"
 * @param outputKind whether the output holds probabilities or logits
 * @param outputKindReason why: the row sums seen
 * @param samples training images used (0 when nothing was calibrated: an export's contract said)
 * @param accuracy the share of those images classified right at the scale chosen (NaN when none were used)
 * @param seconds time the calibration took
 */
public record Calibration(InputScale scale, String scaleReason, OutputKind outputKind, String outputKindReason,
    int samples, double accuracy, double seconds) {
  /** Accuracy below which a classifier of 10 digits does no better than chance, on enough images to tell. */
  public static final double CHANCE = 0.2;
  /** Calibration images needed to call an accuracy below {@link #CHANCE} chance rather than noise. */
  public static final int CHANCE_SAMPLES = 100;

  /** Whether the model classified the calibration images no better than chance (on enough of them to tell). */
  public boolean atChance() {
    return samples >= CHANCE_SAMPLES && accuracy < CHANCE;
  }
}
