package io.mnisttf.savedmodel.internal.signature;

import io.mnisttf.data.MnistData;
import io.mnisttf.layout.ServingConventions;
import io.mnisttf.savedmodel.ModelSignature;
import io.mnisttf.savedmodel.SavedModelException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;

/**
 * Chooses the signature that classifies MNIST images, from what the SavedModel declares (never from
 * hard-coded names): {@link SignatureAssessor} judges each signature, {@link #choose} ranks the suitable ones.
 */
public final class SignatureSelector {
  /** The key of the default serving signature. */
  public static final String DEFAULT_KEY = ServingConventions.DEFAULT_SIGNATURE;
  /** The output of a {@code tensorflow/serving/classify} signature that holds each score's class label. */
  public static final String CLASSIFY_CLASSES = ServingConventions.CLASSIFY_CLASSES;
  /** A signature-shaped marker of the init op, not callable. */
  public static final String INIT_OP_KEY = "__saved_model_init_op";
  /** The dtypes of image inputs and class scores that count as float. */
  public static final Set<DataType> FLOAT_TYPES = Set.of(DataType.DT_FLOAT, DataType.DT_HALF, DataType.DT_DOUBLE);
  /** How many classes (digits) the scores cover. */
  public static final int CLASSES = MnistData.CLASSES;

  private SignatureSelector() {}

  /**
   * The signature chosen to classify with, and the other signatures that could classify too.
   *
   * @param signature the signature chosen
   * @param alternatives the other suitable signatures, best first: a signature whose choice is shown wrong once the
   *     model runs (it classifies training images at chance) gives way to the first of them that does not
   * @param requested whether the caller named the signature (then it is not replaced, only refused)
   * @param note why a signature other than {@code serving_default} was chosen, or {@code null}
   */
  public record Choice(ModelSignature signature, List<ModelSignature> alternatives, boolean requested, String note) {
    public Choice {
      alternatives = List.copyOf(alternatives);
    }
  }

  /**
   * Chooses the signature of {@code metaGraph} to classify with: the requested one, or else the best suitable
   * one. Signatures whose 10 scores come in class order (per-class probabilities or logits) come before those
   * whose scores are labelled by a string output (a classify signature's top-k {@code scores} and
   * {@code classes}); within each group {@code serving_default} comes first, then the others by key.
   *
   * @param model the model folder, named in error messages
   * @param requestedKey the signature the user asked for, or {@code null} to discover it
   * @throws SavedModelException when the requested signature is missing or unsuitable, or no signature is
   *     suitable; the message lists what the model offers
   */
  public static Choice choose(Path model, MetaGraphDef metaGraph, String requestedKey) throws SavedModelException {
    Map<String, SignatureAssessor.Assessment> all = assessAll(metaGraph);
    List<ModelSignature> ranked = all.values().stream().filter(SignatureAssessor.Assessment::suitable).map(SignatureAssessor.Assessment::signature)
        .sorted(Comparator.comparing((ModelSignature s) -> s.classLabels() != null)).toList();
    if (requestedKey != null) {
      SignatureAssessor.Assessment chosen = all.get(requestedKey);
      if (chosen == null) {
        throw new SavedModelException(model, SavedModelException.Kind.NOT_FOUND, "no signature '" + requestedKey + "'; the model has "
            + (all.isEmpty() ? "no signatures" : String.join(", ", all.keySet())));
      }
      if (!chosen.suitable()) {
        throw new SavedModelException(model, SavedModelException.Kind.NOT_A_CLASSIFIER, "signature '" + requestedKey + "' cannot classify MNIST images: "
            + chosen.problem());
      }
      return new Choice(chosen.signature(), ranked.stream().filter(s -> !s.key().equals(requestedKey)).toList(),
          true, null);
    }
    if (ranked.isEmpty()) {
      if (all.isEmpty()) {
        throw new SavedModelException(model, SavedModelException.Kind.NOT_A_CLASSIFIER, "the model has no signatures to call");
      }
      throw new SavedModelException(model, SavedModelException.Kind.NOT_A_CLASSIFIER, "no signature can classify MNIST images: " + all.entrySet().stream()
          .map(e -> e.getKey() + ": " + e.getValue().problem())
          .collect(Collectors.joining("; ")));
    }
    ModelSignature chosen = ranked.get(0);
    SignatureAssessor.Assessment preferred = all.get(DEFAULT_KEY);
    String note = null;
    if (preferred != null && preferred.suitable() && !chosen.key().equals(DEFAULT_KEY)) {
      ModelSignature labelled = preferred.signature();
      note = "signature '" + DEFAULT_KEY + "' gives its scores sorted, each labelled by output '"
          + labelled.classLabels().key() + "'; signature '" + chosen.key() + "' gives the 10 class scores in class"
          + " order, so it is used";
    }
    return new Choice(chosen, ranked.subList(1, ranked.size()), false, note);
  }

  /**
   * The signature of {@code metaGraph} to classify with ({@link #choose}'s choice).
   *
   * @throws SavedModelException as {@link #choose}
   */
  public static ModelSignature select(Path model, MetaGraphDef metaGraph, String requestedKey)
      throws SavedModelException {
    return choose(model, metaGraph, requestedKey).signature();
  }

  /** Every callable signature's assessment, by key ({@code serving_default} first, then sorted). */
  public static Map<String, SignatureAssessor.Assessment> assessAll(MetaGraphDef metaGraph) {
    Map<String, NodeDef> nodes = new HashMap<>();
    for (NodeDef node : metaGraph.getGraphDef().getNodeList()) {
      nodes.put(node.getName(), node);
    }
    Map<String, SignatureAssessor.Assessment> result = new LinkedHashMap<>();
    Map<String, SignatureDef> sorted = new TreeMap<>(metaGraph.getSignatureDefMap());
    SignatureDef first = sorted.remove(DEFAULT_KEY);
    if (first != null) {
      result.put(DEFAULT_KEY, SignatureAssessor.assess(DEFAULT_KEY, first, nodes, metaGraph));
    }
    sorted.forEach((key, signature) -> {
      if (!key.equals(INIT_OP_KEY)) {
        result.put(key, SignatureAssessor.assess(key, signature, nodes, metaGraph));
      }
    });
    return result;
  }
}
