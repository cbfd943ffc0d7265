package io.mnisttf.train;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes the training session's variables (weights, Adam's slots and step powers) as a TensorFlow checkpoint at
 * {@code prefix} ({@code prefix.index}, {@code prefix.data-*}); the folder must exist. {@link Trainer#saveCheckpoint}
 * is one; the exporter and the checkpoint store take it.
 */
@FunctionalInterface
public interface CheckpointSource {
  void saveCheckpoint(Path prefix) throws IOException;
}
