package io.mnisttf.tensorboard;

/**
 * One point of a TensorBoard scalar series.
 *
 * @param tag series name, e.g. {@code epoch_loss}
 * @param step x coordinate (epoch or global step)
 * @param value float32 value as stored
 * @param wallTime seconds since the Unix epoch when it was written
 */
public record ScalarPoint(String tag, long step, float value, double wallTime) {}
