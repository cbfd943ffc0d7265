/**
 * The user's own digit images turned into MNIST's convention ({@link io.mnisttf.predict.DigitImage}: grayscale,
 * light digit on dark, bounding box into 20x20 centred by centre of mass in 28x28), the classes a model gives
 * them ({@link io.mnisttf.predict.ClassScore}) and folders of labelled images
 * ({@link io.mnisttf.predict.LabelledDigits}: {@code DIR/0/*.png} ... {@code DIR/9/*.png}); these are API. The
 * normalizer, resampler and image reading are internal.
 */
package io.mnisttf.predict;
