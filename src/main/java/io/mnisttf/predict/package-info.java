/**
 * The user's own digit images turned into MNIST's convention ({@link io.mnisttf.predict.DigitImage}: grayscale,
 * light digit on dark, bounding box into 20x20 centred by centre of mass in 28x28) and the classes a model gives
 * them ({@link io.mnisttf.predict.ClassScore}); both are API. The normalizer, resampler and image reading are
 * internal.
 */
package io.mnisttf.predict;
