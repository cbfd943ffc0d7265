package io.mnisttf.cli;

import io.mnisttf.savedmodel.CheckedModel;
import io.mnisttf.savedmodel.ClassifierOptions;
import io.mnisttf.savedmodel.InputScale;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.SavedModelPreflight;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of the commands that load and run a SavedModel ({@code evaluate}, {@code predict}). */
final class ModelOptions {
  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "SavedModel folder (or a TF Serving base folder: its highest version is used).")
  Path model;

  @Option(names = "--signature", paramLabel = "KEY",
      description = "Signature to call (default: serving_default when it takes a float image tensor, else"
          + " another that does).")
  String signature;

  @Option(names = "--input-scale", paramLabel = "auto|unit|byte",
      description = "Pixel range the model expects: unit [0,1], byte 0..255, or auto to decide from "
          + ClassifierOptions.CALIBRATION_SAMPLES_DEFAULT + " training images.")
  InputScale inputScale = InputScale.AUTO;

  @Option(names = "--allow-unsafe-ops",
      description = "Load the model even when its graph holds ops that touch files, the network or"
          + " processes. Only for models you trust: loading runs the model's ops.")
  boolean allowUnsafeOps;

  /** Checks the model without loading it (format, ops, signature). */
  CheckedModel check() throws SavedModelException {
    return SavedModelPreflight.check(model, signature, allowUnsafeOps);
  }

  ClassifierOptions classifierOptions() {
    return ClassifierOptions.DEFAULTS.withSignatureKey(signature).withInputScale(inputScale)
        .withAllowUnsafeOps(allowUnsafeOps);
  }
}
