package io.mnisttf.savedmodel.internal.signature;

import io.mnisttf.layout.ExportContract;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import io.mnisttf.savedmodel.Calibration;
import io.mnisttf.savedmodel.InputScale;
import io.mnisttf.savedmodel.ModelSignature;
import io.mnisttf.savedmodel.OutputKind;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.TensorSpec;

/**
 * Uses the contract our exports carry ({@link ExportContract}, {@code assets.extra/mnist-tf-java.json}): the
 * signature, input key and pixel scale it names, and its softmax output, all checked against the model's own
 * signature, so that our exports need no calibration. A contract that contradicts the model is an error: it
 * means the folder was edited or assembled from two models.
 */
public final class ContractSignature {
  private ContractSignature() {}

  /**
   * The signature the contract describes.
   *
   * @throws SavedModelException when the contract's signature, input or output is missing from the model, or of
   *     the wrong type or shape, or its input scale is unknown
   */
  public static ModelSignature select(Path dir, MetaGraphDef metaGraph, ExportContract contract) throws SavedModelException {
    scale(dir, contract);
    SignatureDef def = metaGraph.getSignatureDefMap().get(contract.signature());
    if (def == null) {
      throw contradiction(dir, "names signature '" + contract.signature() + "', but the model has "
          + (metaGraph.getSignatureDefCount() == 0 ? "no signatures"
              : "only " + new TreeMap<>(metaGraph.getSignatureDefMap()).keySet().stream()
                  .map(k -> "'" + k + "'").collect(java.util.stream.Collectors.joining(", "))));
    }
    if (!def.getInputsMap().containsKey(contract.input())) {
      throw contradiction(dir, "names input '" + contract.input() + "' of signature '" + contract.signature()
          + "', but its inputs are " + String.join(", ", new TreeMap<>(def.getInputsMap()).keySet()));
    }
    TensorInfo probabilities = def.getOutputsMap().get(contract.probabilities());
    if (probabilities == null) {
      throw contradiction(dir, "names output '" + contract.probabilities() + "' of signature '"
          + contract.signature() + "', but its outputs are " + String.join(", ", new TreeMap<>(def.getOutputsMap()).keySet()));
    }
    TensorSpec out = TensorSpec.of(contract.probabilities(), probabilities);
    if (!SignatureSelector.FLOAT_TYPES.contains(out.dtype()) || out.rank() != 2
        || out.dims()[1] != SignatureSelector.CLASSES) {
      throw contradiction(dir, "says output '" + out.key() + "' holds 10 probabilities per image, but it is "
          + out.dtype() + " " + out.shapeText());
    }
    SignatureAssessor.Assessment a = SignatureSelector.assessAll(metaGraph).get(contract.signature());
    if (a == null || !a.suitable()) {
      throw contradiction(dir, "names signature '" + contract.signature() + "', which cannot classify MNIST"
          + " images: " + (a == null ? "it is not callable" : a.problem()));
    }
    ModelSignature s = a.signature();
    return s.withOutput(out);
  }

  /** The contract's input scale. */
  public static InputScale scale(Path dir, ExportContract contract) throws SavedModelException {
    for (InputScale s : new InputScale[] {InputScale.UNIT, InputScale.BYTE}) {
      if (s.label().equals(contract.inputScale().toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw contradiction(dir, "has input scale '" + contract.inputScale() + "'; unit or byte expected");
  }

  /** The calibration the contract stands for: its scale (or the one requested), probabilities out. */
  public static Calibration calibration(Path dir, ExportContract contract, InputScale requested) throws SavedModelException {
    InputScale contracted = scale(dir, contract);
    String file = ExportContract.FILE;
    String reason = requested == InputScale.AUTO || requested == contracted ? "from the export's contract, " + file
        : "requested (the export's contract, " + file + ", says " + contracted.label() + ")";
    return new Calibration(requested == InputScale.AUTO ? contracted : requested, reason, OutputKind.PROBABILITIES,
        "from the export's contract: output '" + contract.probabilities() + "' is a softmax", 0, Double.NaN, 0);
  }

  /** The training metrics the contract records, as a note, or {@code null} when it has none. */
  public static String metricsNote(ExportContract contract) {
    Map<String, Double> m = new TreeMap<>(contract.metrics());
    if (m.isEmpty()) {
      return null;
    }
    return "the export's contract records from training: " + m.entrySet().stream()
        .map(e -> e.getKey() + " " + metricText(e.getValue()))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** A whole number as such (epochs, counts), any other value with four decimals. */
  private static String metricText(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4f", v);
  }

  private static SavedModelException contradiction(Path dir, String problem) {
    return new SavedModelException(dir.resolve(ExportContract.FILE), SavedModelException.Kind.INCONSISTENT, "the export's contract " + problem);
  }
}
