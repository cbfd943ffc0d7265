package io.mnisttf.cli;

import io.mnisttf.savedmodel.CheckedModel;
import io.mnisttf.savedmodel.ClassifierOptions;
import io.mnisttf.savedmodel.InputScale;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.SavedModelPreflight;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The options of the commands that load and run a SavedModel ({@code evaluate}, {@code predict}). */
final class ModelOptions {
  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "SavedModel folder (or a TF Serving base folder: its highest version is used).")
  Path model;

  @Option(names = "--signature", paramLabel = "KEY",
      description = "Signature to call (default: the one the export's contract names, else serving_default when"
          + " it takes an image tensor or tf.Example strings, else another that does).")
  String signature;

  @Option(names = "--input", paramLabel = "TENSOR",
      description = "Call graph tensors instead of a signature: the placeholder to feed (e.g. x:0); needs --output.")
  String inputTensor;

  @Option(names = "--output", paramLabel = "TENSOR",
      description = "The graph tensor with the 10 class scores (e.g. softmax:0); needs --input.")
  String outputTensor;

  @Option(names = "--tag-set", paramLabel = "TAGS",
      description = "Tags of the MetaGraphDef to load, comma separated (default: serve, or the only tag set).")
  String tagSet;

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
   * @throws ParameterException (a usage error) when {@code --input} and {@code --output} are not given together,
   *     or together with {@code --signature}, or the tag set is empty
   */
  ClassifierOptions classifierOptions(CommandLine commandLine) {
    if ((inputTensor == null) != (outputTensor == null)) {
      throw new ParameterException(commandLine, inputTensor == null ? "--output needs --input" : "--input needs --output");
    }
    if (inputTensor != null && signature != null) {
      throw new ParameterException(commandLine, "--signature cannot be combined with --input and --output");
    }
    if (tagSet != null && tagSet.replace(",", "").isBlank()) {
      throw new ParameterException(commandLine, "--tag-set must name at least one tag, got \"" + tagSet + "\"");
    }
    return ClassifierOptions.DEFAULTS.withSignatureKey(signature).withInputScale(inputScale)
        .withAllowUnsafeOps(allowUnsafeOps).withTensors(inputTensor, outputTensor).withTagSet(tagSet);
  }
}
