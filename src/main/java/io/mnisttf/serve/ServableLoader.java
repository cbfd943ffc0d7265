package io.mnisttf.serve;

import java.nio.file.Path;

/** Loads one version folder of a model base path into a {@link Servable}. */
@FunctionalInterface
public interface ServableLoader {
  /**
   * Loads the SavedModel in {@code versionDir}; returns when it is ready to serve.
   *
   * @param version the version number, read from the folder's name as TF Serving reads it
   * @throws ServingException when the model is refused or fails to load (the code and message are reported in
   *     the model's status)
   */
  Servable load(Path versionDir, long version) throws ServingException;
}
