package io.mnisttf.cli;

import io.mnisttf.savedmodel.CheckedModel;
import io.mnisttf.savedmodel.ClassifierOptions;
import io.mnisttf.savedmodel.InputScale;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.SavedModelPreflight;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The options of the commands that load and run a SavedModel ({@code evaluate}, {@code predict}). */
final class ModelOptions {
  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "SavedModel folder (or a TF Serving base folder: its highest version is used).")
  Path model;

  @Mixin ModelSelectionOptions selection;

  @Option(names = "--input-scale", paramLabel = "auto|unit|byte",
      description = "Pixel range the model expects: unit [0,1], byte 0..255, or auto: from the export's contract,"
          + " else decided on " + ClassifierOptions.CALIBRATION_SAMPLES_DEFAULT + " training images.")
  InputScale inputScale = InputScale.AUTO;

  @Option(names = "--allow-unsafe-ops",
      description = "Load the model even when its graph holds ops that touch files, the network or"
          + " processes. Only for models you trust: loading runs the model's ops.")
  boolean allowUnsafeOps;

  /** Checks the model without loading it (format, ops, signature). */
  CheckedModel check(ClassifierOptions options) throws SavedModelException {
    return SavedModelPreflight.check(model, options);
  }

  /**
   * The classifier options these flags give.
   *
   * @throws ParameterException (a usage error) when the model selection is inconsistent
   *     ({@link ModelSelectionOptions#applyTo})
   */
  ClassifierOptions classifierOptions(CommandLine commandLine) {
    return selection.applyTo(ClassifierOptions.DEFAULTS.withInputScale(inputScale)
        .withAllowUnsafeOps(allowUnsafeOps), commandLine);
  }
}
