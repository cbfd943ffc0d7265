/**
 * The network in TensorFlow graphs. API: {@link io.mnisttf.model.ModelConfig} and
 * {@link io.mnisttf.model.AdamConfig}. Internal: the graph builders, the training graph, the ordered Adam, the
 * custom gradient, the resident data set and {@link io.mnisttf.model.QuietTensorFlow}.
 */
package io.mnisttf.model;
