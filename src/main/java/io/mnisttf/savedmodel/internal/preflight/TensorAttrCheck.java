package io.mnisttf.savedmodel.internal.preflight;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.TensorSpec;

/**
 * Checks every tensor-valued attr (the {@code value} of each {@code Const}, and any other) before TensorFlow
 * builds it: a negative dimension, dimensions whose product passes 2^63 (TensorFlow's own check then aborts
 * the process: {@code Check failed: 0 <= new_num_elements}), a tensor larger than
 * {@value #MAX_TENSOR_BYTES} bytes (a string tensor declared [2^20, 2^31] makes loading hang), or content
 * that does not fit the shape (raw bytes of another length than the shape needs, more values than elements).
 */
public final class TensorAttrCheck {
  /** Largest constant accepted: 1 GiB, the size limit of the model file itself. */
  public static final long MAX_TENSOR_BYTES = 1L << 30;
  /** Bytes TensorFlow's string tensors take per element before their content. */
  public static final int STRING_ELEMENT_BYTES = 32;

  private TensorAttrCheck() {}

  public static void check(Path dir, MetaGraphDef metaGraph) throws SavedModelException {
    for (GraphNodes n : GraphNodes.all(metaGraph)) {
      for (Map.Entry<String, AttrValue> attr : n.node().getAttrMap().entrySet()) {
        List<TensorProto> tensors = attr.getValue().hasTensor() ? List.of(attr.getValue().getTensor())
            : attr.getValue().getList().getTensorList();
        for (TensorProto t : tensors) {
          String problem = problem(t);
          if (problem != null) {
            throw new SavedModelException(dir, "refused before loading: " + n.describe() + " attr '" + attr.getKey()
                + "' holds a tensor " + problem);
          }
        }
      }
    }
  }

  public static String problem(TensorProto t) {
    TensorShapeProto shape = t.getTensorShape();
    if (shape.getUnknownRank()) {
      return "of unknown rank";
    }
    long elements = 1;
    for (TensorShapeProto.Dim d : shape.getDimList()) {
      if (d.getSize() < 0) {
        return "with the negative dimension " + d.getSize() + " in " + TensorSpec.shapeText(TensorSpec.dims(shape));
      }
      try {
        elements = Math.multiplyExact(elements, d.getSize());
      } catch (ArithmeticException e) {
        return "of shape " + TensorSpec.shapeText(TensorSpec.dims(shape)) + ", whose element count passes 2^63";
      }
    }
    int size = elementBytes(t.getDtype());
    long bytes = elements > MAX_TENSOR_BYTES ? Long.MAX_VALUE : elements * (size > 0 ? size : STRING_ELEMENT_BYTES);
    if (bytes > MAX_TENSOR_BYTES) {
      return String.format(Locale.ROOT, "of shape %s (%,d elements), larger than the %,d bytes accepted",
          TensorSpec.shapeText(TensorSpec.dims(shape)), elements, MAX_TENSOR_BYTES);
    }
    if (!t.getTensorContent().isEmpty() && size > 0 && t.getTensorContent().size() != bytes) {
      return String.format(Locale.ROOT, "of shape %s and type %s with %,d bytes of content, %,d expected",
          TensorSpec.shapeText(TensorSpec.dims(shape)), t.getDtype(), t.getTensorContent().size(), bytes);
    }
    long values = values(t);
    if (values > elements) {
      return String.format(Locale.ROOT, "of shape %s with %,d values for %,d elements",
          TensorSpec.shapeText(TensorSpec.dims(shape)), values, elements);
    }
    return null;
  }

  /** Values given in the typed fields (complex numbers take two each). */
  private static long values(TensorProto t) {
    long values = t.getFloatValCount() + t.getDoubleValCount() + t.getIntValCount() + t.getInt64ValCount()
        + t.getBoolValCount() + t.getStringValCount() + t.getHalfValCount() + t.getUint32ValCount()
        + t.getUint64ValCount() + t.getResourceHandleValCount() + t.getVariantValCount();
    return values + (t.getScomplexValCount() + t.getDcomplexValCount()) / 2;
  }

  /** Bytes per element of a fixed-size type; 0 for strings, resources and variants. */
  public static int elementBytes(DataType dtype) {
    return switch (dtype) {
      case DT_BOOL, DT_INT8, DT_UINT8, DT_QINT8, DT_QUINT8, DT_FLOAT8_E5M2, DT_FLOAT8_E4M3FN -> 1;
      case DT_HALF, DT_BFLOAT16, DT_INT16, DT_UINT16, DT_QINT16, DT_QUINT16 -> 2;
      case DT_FLOAT, DT_INT32, DT_UINT32, DT_QINT32 -> 4;
      case DT_DOUBLE, DT_INT64, DT_UINT64, DT_COMPLEX64 -> 8;
      case DT_COMPLEX128 -> 16;
      default -> 0;
    };
  }
}
