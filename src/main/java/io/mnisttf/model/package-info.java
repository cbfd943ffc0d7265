/**
 * The networks in TensorFlow graphs. API: {@link io.mnisttf.model.ModelConfig} (the MLP or the CNN) and
 * {@link io.mnisttf.model.AdamConfig}. Internal: the {@link io.mnisttf.model.Network} abstraction and its graph
 * builders on {@code Ops} (the MLP's and the CNN's), the training graph, the ordered Adam, the custom gradient and
 * the resident data set.
 */
package io.mnisttf.model;
