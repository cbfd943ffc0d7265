package io.mnisttf.savedmodel.internal.signature;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;
import io.mnisttf.savedmodel.internal.preflight.OpScanner;
import io.mnisttf.savedmodel.ModelSignature;
import io.mnisttf.savedmodel.SavedModelException;

/**
 * Calls a model by graph tensor names instead of a signature ({@code --input x:0 --output softmax:0}, as
 * {@code saved_model_cli run} and TF1 code do), for models saved without a SignatureDef. The input must be a
 * placeholder, whose type and shape the graph declares; the output is any tensor, checked again once the model
 * is loaded.
 */
public final class GraphTensors {
  /** Ops that often end a classifier, offered when the output tensor named does not exist. */
  public static final Set<String> OUTPUT_OPS = Set.of("Softmax", "LogSoftmax", "Identity", "BiasAdd", "Add", "AddV2",
      "MatMul", "StatefulPartitionedCall", "PartitionedCall", "Sigmoid");
  private static final int LISTED = 10;

  private GraphTensors() {}

  /** {@code x} as {@code x:0}; {@code x:1} unchanged. */
  public static String tensorName(String name) {
    return name.matches(".*:[0-9]+") ? name : name + ":0";
  }

  /**
   * The signature-like description of calling {@code input} and {@code output} of {@code metaGraph}.
   *
   * @throws SavedModelException when a tensor does not exist (listing what does), the input is not a
   *     placeholder, or the tensors cannot classify MNIST images
   */
  public static ModelSignature select(Path model, MetaGraphDef metaGraph, String input, String output)
      throws SavedModelException {
    String in = tensorName(input);
    String out = tensorName(output);
    Map<String, NodeDef> nodes = new HashMap<>();
    for (NodeDef node : metaGraph.getGraphDef().getNodeList()) {
      nodes.put(node.getName(), node);
    }
    List<String> placeholders = metaGraph.getGraphDef().getNodeList().stream()
        .filter(n -> n.getOp().startsWith("Placeholder")).map(n -> n.getName() + ":0").toList();
    NodeDef inNode = nodes.get(OpScanner.nodeName(in));
    if (inNode == null) {
      throw new SavedModelException(model, SavedModelException.Kind.NOT_FOUND, "no tensor '" + in + "' in the graph; its placeholders: "
          + shortList(placeholders));
    }
    if (!inNode.getOp().startsWith("Placeholder")) {
      throw new SavedModelException(model, SavedModelException.Kind.NOT_A_CLASSIFIER, "input tensor '" + in + "' is the output of a " + inNode.getOp()
          + " op, not a placeholder; the graph's placeholders: " + shortList(placeholders));
    }
    NodeDef outNode = nodes.get(OpScanner.nodeName(out));
    if (outNode == null) {
      List<String> candidates = metaGraph.getGraphDef().getNodeList().stream()
          .filter(n -> OUTPUT_OPS.contains(n.getOp()) && !n.getName().startsWith("save/"))
          .map(n -> n.getName() + ":0").toList();
      int from = Math.max(0, candidates.size() - LISTED);
      throw new SavedModelException(model, SavedModelException.Kind.NOT_FOUND, "no tensor '" + out + "' in the graph; its last outputs of "
          + "classifier-like ops: " + shortList(candidates.subList(from, candidates.size()))
          + (from > 0 ? " (" + candidates.size() + " in all)" : ""));
    }
    TensorInfo inInfo = TensorInfo.newBuilder().setName(in).setDtype(attr(inNode, "dtype"))
        .setTensorShape(shape(inNode)).build();
    TensorInfo outInfo = TensorInfo.newBuilder().setName(out).setDtype(outputType(outNode))
        .setTensorShape(TensorShapeProto.newBuilder().setUnknownRank(true)).build();
    SignatureDef signature = SignatureDef.newBuilder().putInputs(in, inInfo).putOutputs(out, outInfo).build();
    SignatureAssessor.Assessment a = SignatureAssessor.assess(ModelSignature.TENSORS_KEY, signature, nodes, metaGraph);
    if (!a.suitable()) {
      throw new SavedModelException(model, SavedModelException.Kind.NOT_A_CLASSIFIER, "tensors '" + in + "' -> '" + out + "' cannot classify MNIST images: "
          + a.problem());
    }
    return a.signature();
  }

  private static DataType attr(NodeDef node, String name) {
    AttrValue v = node.getAttrMap().get(name);
    return v == null ? DataType.DT_INVALID : v.getType();
  }

  /** The type the node's ops declare for their output, float32 when no attr says (checked after loading). */
  private static DataType outputType(NodeDef node) {
    for (String attr : List.of("T", "dtype", "DstT", "out_type")) {
      DataType t = attr(node, attr);
      if (t != DataType.DT_INVALID) {
        return t;
      }
    }
    return DataType.DT_FLOAT;
  }

  private static TensorShapeProto shape(NodeDef placeholder) {
    AttrValue v = placeholder.getAttrMap().get("shape");
    return v == null || !v.hasShape() ? TensorShapeProto.newBuilder().setUnknownRank(true).build() : v.getShape();
  }

  /** At most 10 names, then how many more. */
  public static String shortList(List<String> names) {
    if (names.isEmpty()) {
      return "none";
    }
    if (names.size() <= LISTED) {
      return String.join(", ", names);
    }
    return String.join(", ", names.subList(0, LISTED)) + " and " + (names.size() - LISTED) + " more";
  }
}
