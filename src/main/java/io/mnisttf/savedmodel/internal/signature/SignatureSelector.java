package io.mnisttf.savedmodel.internal.signature;

import io.mnisttf.data.MnistData;
import io.mnisttf.layout.ServingConventions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import io.mnisttf.savedmodel.internal.preflight.OpScanner;
import io.mnisttf.savedmodel.ExampleFeature;
import io.mnisttf.savedmodel.ImageDecode;
import io.mnisttf.savedmodel.InputLayout;
import io.mnisttf.savedmodel.ModelSignature;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.TensorSpec;

/**
 * Chooses the signature that classifies MNIST images, from what the SavedModel declares (never from
 * hard-coded names).
 *
 * <p>A signature is suitable when it has exactly one input, and at least one float output of shape
 * {@code [-1,10]}. The input is either an image tensor of a float type (float32, float16 or float64) or an
 * integer type (uint8, int32, int64), whose shape fits an {@link InputLayout} ({@code [-1,28,28]},
 * {@code [-1,784]}, {@code [-1,28,28,1]}, {@code [-1,1,28,28]} or their 32x32 versions; a fixed batch size is
 * allowed), or a string tensor that the graph parses as {@code tf.Example} with an image feature of such a
 * shape, or decodes as encoded images ({@link StringInputTracer}). The input's shape is checked against the graph's placeholder too: a
 * signature that declares another rank than the placeholder has is refused (feeding a CNN a rank-3
 * tensor would abort the JVM), and a signature of unknown input rank takes the placeholder's shape.
 *
 * <p>When a string output labels the scores ({@code classes} of a classify signature), each score is read as
 * the probability of the digit its label names. {@link #choose} ranks the suitable signatures. Among several
 * 10-wide outputs the one declared exactly {@code [-1,10]} in float32 comes first, then by key.
 */
public final class SignatureSelector {
  /** The key of the default serving signature. */
  public static final String DEFAULT_KEY = ServingConventions.DEFAULT_SIGNATURE;
  /** The output of a {@code tensorflow/serving/classify} signature that holds each score's class label. */
  public static final String CLASSIFY_CLASSES = ServingConventions.CLASSIFY_CLASSES;
  /** A signature-shaped marker of the init op, not callable. */
  public static final String INIT_OP_KEY = "__saved_model_init_op";
  public static final Set<DataType> FLOAT_TYPES = Set.of(DataType.DT_FLOAT, DataType.DT_HALF, DataType.DT_DOUBLE);
  public static final int CLASSES = MnistData.CLASSES;

  private SignatureSelector() {}

  /**
   * Whether a signature is suitable, and why not.
   *
   * @param signature the chosen input/output when suitable, else {@code null}
   * @param problem why it is not suitable, else {@code null}
   */
  public record Assessment(ModelSignature signature, String problem) {
    public boolean suitable() {
      return signature != null;
    }
  }

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
    Map<String, Assessment> all = assessAll(metaGraph);
    List<ModelSignature> ranked = all.values().stream().filter(Assessment::suitable).map(Assessment::signature)
        .sorted(Comparator.comparing((ModelSignature s) -> s.classLabels() != null)).toList();
    if (requestedKey != null) {
      Assessment chosen = all.get(requestedKey);
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
    Assessment preferred = all.get(DEFAULT_KEY);
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
  public static Map<String, Assessment> assessAll(MetaGraphDef metaGraph) {
    Map<String, NodeDef> nodes = new HashMap<>();
    for (NodeDef node : metaGraph.getGraphDef().getNodeList()) {
      nodes.put(node.getName(), node);
    }
    Map<String, Assessment> result = new LinkedHashMap<>();
    Map<String, SignatureDef> sorted = new TreeMap<>(metaGraph.getSignatureDefMap());
    SignatureDef first = sorted.remove(DEFAULT_KEY);
    if (first != null) {
      result.put(DEFAULT_KEY, assess(DEFAULT_KEY, first, nodes, metaGraph));
    }
    sorted.forEach((key, signature) -> {
      if (!key.equals(INIT_OP_KEY)) {
        result.put(key, assess(key, signature, nodes, metaGraph));
      }
    });
    return result;
  }

  public static Assessment assess(String key, SignatureDef signature, Map<String, NodeDef> nodes, MetaGraphDef metaGraph) {
    if (signature.getInputsCount() != 1) {
      return rejected("takes " + signature.getInputsCount() + " inputs ("
          + String.join(", ", new TreeMap<>(signature.getInputsMap()).keySet()) + "); one image tensor expected");
    }
    Map.Entry<String, TensorInfo> in = signature.getInputsMap().entrySet().iterator().next();
    TensorSpec input = TensorSpec.of(in.getKey(), in.getValue());
    boolean strings = input.dtype() == DataType.DT_STRING;
    if (!FLOAT_TYPES.contains(input.dtype()) && !ModelSignature.INTEGER_TYPES.contains(input.dtype()) && !strings) {
      return rejected("input '" + input.key() + "' is " + input.dtype() + "; an image tensor (float, uint8, int32"
          + " or int64) or serialized tf.Example strings expected");
    }
    if (in.getValue().getName().isEmpty()) {
      return rejected("input '" + input.key() + "' is not a plain tensor (composite or sparse)");
    }
    NodeDef placeholder = nodes.get(OpScanner.nodeName(input.name()));
    if (placeholder == null) {
      return rejected("input tensor '" + input.name() + "' is not in the graph (truncated or inconsistent model)");
    }
    long[] graphDims = placeholderDims(placeholder);
    if (input.dims() == null && graphDims != null) {
      input = input.withDims(graphDims);
    } else if (input.dims() != null && graphDims != null && !compatible(input.dims(), graphDims)) {
      return rejected("input '" + input.key() + "' is declared " + input.shapeText() + " but its graph placeholder '"
          + placeholder.getName() + "' has shape " + TensorSpec.shapeText(graphDims));
    } else if (input.dims() != null && graphDims != null) {
      input = input.withDims(merge(input.dims(), graphDims));
    }
    ExampleFeature example = null;
    ImageDecode decode = null;
    java.util.Optional<InputLayout> layout;
    long batch;
    if (strings) {
      StringInputTracer.Result traced = StringInputTracer.trace(metaGraph, input.name());
      if (traced.problem() != null) {
        return rejected("input '" + input.key() + "' is DT_STRING, but " + traced.problem());
      }
      example = traced.example();
      decode = traced.decode();
      boolean single = example != null && example.parseOp().equals("ParseSingleExample");
      String what = example != null ? "serialized tf.Examples" : "encoded images";
      if (input.dims() == null) {
        input = input.withDims(single ? new long[0] : new long[] {-1});
      }
      if (single ? input.rank() != 0 : input.rank() > 1) {
        return rejected("input '" + input.key() + "' of " + what + " has shape " + input.shapeText()
            + "; " + (single ? "a scalar [] for ParseSingleExample" : "a vector [-1] or a scalar []") + " expected");
      }
      if (example != null) {
        long[] batched = new long[example.dims().length + 1];
        batched[0] = -1;
        System.arraycopy(example.dims(), 0, batched, 1, example.dims().length);
        layout = InputLayout.match(batched);
      } else {
        layout = java.util.Optional.of(InputLayout.IMAGE);
      }
      batch = input.rank() == 0 ? 1 : input.dims()[0];
    } else {
      if (input.dims() == null) {
        return rejected("input '" + input.key() + "' has unknown rank, so MNIST images cannot be shaped for it"
            + " safely");
      }
      layout = InputLayout.match(input.dims());
      if (layout.isEmpty()) {
        return rejected("input '" + input.key() + "' takes " + input.shapeText() + "; MNIST images fit "
            + InputLayout.allShapes());
      }
      batch = input.dims()[0];
    }

    List<TensorSpec> outputs = new ArrayList<>();
    for (Map.Entry<String, TensorInfo> e : new TreeMap<>(signature.getOutputsMap()).entrySet()) {
      outputs.add(TensorSpec.of(e.getKey(), e.getValue()));
    }
    TensorSpec output = outputs.stream()
        .filter(o -> FLOAT_TYPES.contains(o.dtype()) && !o.name().isEmpty())
        .filter(o -> o.dims() == null || (o.rank() == 2 && (o.dims()[1] == CLASSES || o.dims()[1] == -1)))
        .filter(o -> nodes.containsKey(OpScanner.nodeName(o.name())))
        .min(Comparator.comparingInt(SignatureSelector::outputPreference))
        .orElse(null);
    if (output == null) {
      return rejected("no float output of shape [-1," + CLASSES + "] among "
          + (outputs.isEmpty() ? "no outputs" : outputs.stream().map(TensorSpec::describe)
              .collect(Collectors.joining(", "))));
    }
    TensorSpec labels = classLabels(outputs, nodes);
    if (labels != null && labels.dims() != null && labels.dims()[1] >= 0 && labels.dims()[1] != CLASSES) {
      return rejected("its scores are labelled by output '" + labels.key() + "' " + labels.shapeText() + ", not one"
          + " label for each of the " + CLASSES + " scores");
    }
    return new Assessment(new ModelSignature(key, signature.getMethodName(), input, layout.orElseThrow(),
        batch > 0 ? batch : 0, output, example, decode, labels), null);
  }

  /**
   * The string output that labels each score, as a {@code tensorflow/serving/classify} signature's
   * {@code classes} labels its {@code scores}: the output keyed {@code classes} when it is a string matrix, else
   * the only string matrix; {@code null} when there is none (the scores are then in class order).
   */
  private static TensorSpec classLabels(List<TensorSpec> outputs, Map<String, NodeDef> nodes) {
    List<TensorSpec> strings = outputs.stream()
        .filter(o -> o.dtype() == DataType.DT_STRING && !o.name().isEmpty() && (o.dims() == null || o.rank() == 2))
        .filter(o -> nodes.containsKey(OpScanner.nodeName(o.name())))
        .toList();
    return strings.stream().filter(o -> o.key().equals(CLASSIFY_CLASSES)).findFirst()
        .orElse(strings.size() == 1 ? strings.get(0) : null);
  }

  /** Lower is better: exactly 10 wide, then width unknown, then rank unknown; float32 first. */
  private static int outputPreference(TensorSpec o) {
    int shape = o.dims() == null ? 2 : o.dims()[1] == CLASSES ? 0 : 1;
    return shape * 2 + (o.dtype() == DataType.DT_FLOAT ? 0 : 1);
  }

  /** The shape attribute of a placeholder node, or {@code null} when it has none or an unknown rank. */
  public static long[] placeholderDims(NodeDef node) {
    if (!node.getOp().startsWith("Placeholder")) {
      return null;
    }
    AttrValue shape = node.getAttrMap().get("shape");
    return shape == null || !shape.hasShape() ? null : TensorSpec.dims(shape.getShape());
  }

  /** Same rank, and each dimension equal where both are known. */
  public static boolean compatible(long[] a, long[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (a[i] >= 0 && b[i] >= 0 && a[i] != b[i]) {
        return false;
      }
    }
    return true;
  }

  /** The more specific of two compatible shapes, dimension by dimension. */
  public static long[] merge(long[] a, long[] b) {
    long[] merged = a.clone();
    for (int i = 0; i < merged.length; i++) {
      if (merged[i] < 0) {
        merged[i] = b[i];
      }
    }
    return merged;
  }

  private static Assessment rejected(String problem) {
    return new Assessment(null, problem);
  }
}
