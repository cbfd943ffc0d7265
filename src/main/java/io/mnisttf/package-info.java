/**
 * The library's entry point, API: {@link io.mnisttf.TrainingRun} does what the {@code train} command does
 * (load and split the data, train with early stopping, keep the best weights, score them on the test set,
 * record the run, checkpoint, resume, export a SavedModel), configured by {@link io.mnisttf.RunOptions} and
 * reporting a {@link io.mnisttf.RunResult}.
 */
package io.mnisttf;
