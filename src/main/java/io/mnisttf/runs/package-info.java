/** The run folder ({@code config.json}, history, {@code metrics.json}). Internal: written by {@code TrainingRun}. */
package io.mnisttf.runs;
