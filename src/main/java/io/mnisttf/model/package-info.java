/**
 * The network in TensorFlow graphs. API: {@link io.mnisttf.model.ModelConfig} and
 * {@link io.mnisttf.model.AdamConfig}. Internal: the graph builders, the training graph, the ordered Adam, the
 * custom gradient and the resident data set.
 */
package io.mnisttf.model;
