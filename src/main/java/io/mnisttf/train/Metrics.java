package io.mnisttf.train;

/**
 * Loss and accuracy over a set of examples.
 *
 * @param loss mean cross-entropy per example
 * @param accuracy fraction classified correctly, in [0,1]
 * @param examples how many examples were scored
 */
public record Metrics(double loss, double accuracy, int examples) {}
