package io.mnisttf.savedmodel.internal.signature;

import static io.mnisttf.savedmodel.internal.signature.SignatureSelector.CLASSES;
import static io.mnisttf.savedmodel.internal.signature.SignatureSelector.CLASSIFY_CLASSES;
import static io.mnisttf.savedmodel.internal.signature.SignatureSelector.FLOAT_TYPES;

import io.mnisttf.savedmodel.ExampleFeature;
import io.mnisttf.savedmodel.ImageDecode;
import io.mnisttf.savedmodel.InputLayout;
import io.mnisttf.savedmodel.ModelSignature;
import io.mnisttf.savedmodel.TensorSpec;
import io.mnisttf.savedmodel.internal.preflight.OpScanner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * Whether one signature can classify MNIST images, and how, judged from what the SavedModel declares and its
 * graph holds; {@link SignatureSelector} ranks the suitable ones.
 *
 * <p>A signature is suitable when it has exactly one input, and at least one float output of shape
 * {@code [-1,10]}. The input is either an image tensor of a float type (float32, float16 or float64) or an
 * integer type (uint8, int32, int64), whose shape fits an {@link InputLayout} ({@code [-1,28,28]},
 * {@code [-1,784]}, {@code [-1,28,28,1]}, {@code [-1,1,28,28]} or their 32x32 versions; a fixed batch size is
 * allowed), or a string tensor that the graph parses as {@code tf.Example} with an image feature of such a
 * shape, or decodes as encoded images ({@link StringInputTracer}). The input's shape is checked against the
 * graph's placeholder too: a signature that declares another rank than the placeholder has is refused (feeding a
 * CNN a rank-3 tensor would abort the JVM), and a signature of unknown input rank takes the placeholder's shape.
 *
 * <p>When a string output labels the scores ({@code classes} of a classify signature), each score is read as
 * the probability of the digit its label names. Among several 10-wide outputs the one declared exactly
 * {@code [-1,10]} in float32 comes first, then by key.
 */
public final class SignatureAssessor {
  private SignatureAssessor() {}

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
   * Assesses the signature {@code signature} under {@code key}.
   *
   * @param nodes the graph's nodes by name
   */
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
    Optional<InputLayout> layout;
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
        layout = Optional.of(InputLayout.IMAGE);
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
        .min(Comparator.comparingInt(SignatureAssessor::outputPreference))
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
