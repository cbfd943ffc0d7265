package io.mnisttf.savedmodel;

/**
 * What calibration on a sample of training images decided.
 *
 * @param scale the pixel range fed to the model ({@link InputScale#UNIT} or {@link InputScale#BYTE})
 * @param scaleReason why: the losses and accuracies compared, or "requested"
 * @param outputKind whether the output holds probabilities or logits
 * @param outputKindReason why: the row sums seen
 * @param samples training images used
 * @param seconds time the calibration took
 */
public record Calibration(InputScale scale, String scaleReason, OutputKind outputKind, String outputKindReason,
    int samples, double seconds) {}
