/**
 * Charts written headless as PNG: training curves, the confusion-matrix heatmap and the grid of the most confidently
 * misclassified digits. Internal: the run folder and {@code evaluate --plots} write them.
 */
package io.mnisttf.plots;
