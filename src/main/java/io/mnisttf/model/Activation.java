package io.mnisttf.model;

/** Activation applied after a dense layer's affine transform. */
public enum Activation {
  /** No activation: the layer outputs its affine transform. */
  LINEAR,
  /** max(0, x). */
  RELU,
  /** Normalised exponentials over the last axis; the pre-activation is kept as the network's logits. */
  SOFTMAX
}
