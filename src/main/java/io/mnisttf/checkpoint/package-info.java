/**
 * Per-epoch checkpoints. API: {@link io.mnisttf.checkpoint.CheckpointStore} and its
 * {@link io.mnisttf.checkpoint.CheckpointStore.Loaded} (the latest checkpoint, to resume with
 * {@code TrainingRun.resume}), {@link io.mnisttf.checkpoint.CheckpointState} and
 * {@link io.mnisttf.checkpoint.CheckpointException}. Internal: the writer listener and the weights file.
 */
package io.mnisttf.checkpoint;
