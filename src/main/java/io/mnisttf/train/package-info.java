/**
 * The training loop, API: {@link io.mnisttf.train.Trainer}, {@link io.mnisttf.train.TrainingListener} and
 * {@link io.mnisttf.train.TrainingContext}, {@link io.mnisttf.train.EarlyStopping}, and the records
 * {@link io.mnisttf.train.TrainConfig}, {@link io.mnisttf.train.EpochMetrics}, {@link io.mnisttf.train.Metrics},
 * {@link io.mnisttf.train.TrainingResult}, {@link io.mnisttf.train.WeightSnapshot}. Internal:
 * {@link io.mnisttf.train.StepTimer} and {@link io.mnisttf.train.CheckpointSource} (public for the tool's other
 * packages) and the package-private helpers.
 */
package io.mnisttf.train;
