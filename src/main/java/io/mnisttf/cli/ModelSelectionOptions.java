package io.mnisttf.cli;

import io.mnisttf.savedmodel.ClassifierOptions;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options that choose what of a SavedModel is called: tag set, signature or graph tensors. Shared by
 * {@code evaluate} and {@code predict} (through {@link ModelOptions}) and by {@code inspect}, so that
 * {@code inspect} describes exactly the choice the others make.
 */
final class ModelSelectionOptions {
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

  /**
   * {@code base} with these choices.
   *
   * @throws ParameterException (a usage error) when {@code --input} and {@code --output} are not given together,
   *     or together with {@code --signature}, or the tag set is empty
   */
  ClassifierOptions applyTo(ClassifierOptions base, CommandLine commandLine) {
    if ((inputTensor == null) != (outputTensor == null)) {
      throw new ParameterException(commandLine, inputTensor == null ? "--output needs --input" : "--input needs --output");
    }
    if (inputTensor != null && signature != null) {
      throw new ParameterException(commandLine, "--signature cannot be combined with --input and --output");
    }
    if (tagSet != null && tagSet.replace(",", "").isBlank()) {
      throw new ParameterException(commandLine, "--tag-set must name at least one tag, got \"" + tagSet + "\"");
    }
    return base.withSignatureKey(signature).withTensors(inputTensor, outputTensor).withTagSet(tagSet);
  }
}
