/**
 * The MNIST files, API: {@link io.mnisttf.data.Mnist} (load the four IDX files), {@link io.mnisttf.data.MnistData}
 * (uint8 pixels and labels, the 28x28, 784 and 10 constants, the validation split),
 * {@link io.mnisttf.data.DataConfig}, {@link io.mnisttf.data.Augmentation} (how training images are varied) and
 * {@link io.mnisttf.data.MnistFormatException}. Internal: the IDX reader, the shuffle buffer, batches and the
 * augmenter with its image operations, and the {@link io.mnisttf.data.Resampler} that both the augmenter and
 * {@code predict} scale images with.
 */
package io.mnisttf.data;
