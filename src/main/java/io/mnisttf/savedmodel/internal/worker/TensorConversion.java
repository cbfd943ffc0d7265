package io.mnisttf.savedmodel.internal.worker;

import java.util.Map;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint16;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * {@link WireTensor}s to TensorFlow tensors and back, byte for byte (TensorFlow keeps elements in the host's byte
 * order, little-endian on every platform TF Java ships for). TensorFlow Java 1.1.0 has tensor classes for
 * float32, float64, float16, bfloat16, int32, int64, uint8, uint16, bool and string only: int8, int16, uint32
 * and uint64 tensors can be neither made nor read.
 */
final class TensorConversion {
  private static final Map<DataType, Class<? extends TType>> TYPES = Map.of(
      DataType.DT_FLOAT, TFloat32.class, DataType.DT_DOUBLE, TFloat64.class, DataType.DT_HALF, TFloat16.class,
      DataType.DT_BFLOAT16, TBfloat16.class, DataType.DT_INT32, TInt32.class, DataType.DT_INT64, TInt64.class,
      DataType.DT_UINT8, TUint8.class, DataType.DT_UINT16, TUint16.class, DataType.DT_BOOL, TBool.class,
      DataType.DT_STRING, TString.class);

  private TensorConversion() {}

  /** Whether TensorFlow Java can make and read tensors of {@code dtype}. */
  static boolean supported(DataType dtype) {
    return TYPES.containsKey(dtype);
  }

  /** A new TensorFlow tensor holding {@code t}'s elements; the caller closes it. */
  static Tensor toTensor(WireTensor t) {
    Shape shape = Shape.of(t.shape());
    if (t.dtype() == DataType.DT_STRING) {
      return TString.tensorOfBytes(shape, DataBuffers.ofObjects(t.strings()));
    }
    Class<? extends TType> type = TYPES.get(t.dtype());
    if (type == null) {
      throw new IllegalArgumentException("TensorFlow Java has no " + t.dtype() + " tensors");
    }
    return Tensor.of(type, shape, DataBuffers.of(t.data(), true, false));
  }

  /** {@code t}'s elements, copied. */
  static WireTensor fromTensor(Tensor t) {
    long[] shape = t.shape().asArray();
    if (t instanceof TString s) {
      NdArray<byte[]> bytes = s.asBytes();
      int count = (int) WireTensor.count(shape);
      byte[][] strings = new byte[count][];
      if (shape.length == 0) {
        strings[0] = bytes.getObject();
      } else {
        int[] i = {0};
        bytes.scalars().forEach(scalar -> strings[i[0]++] = scalar.getObject());
      }
      return WireTensor.ofStrings(shape, strings);
    }
    byte[] data = new byte[Math.toIntExact(t.numBytes())];
    t.asRawTensor().data().read(data);
    return WireTensor.of(t.dataType(), shape, data);
  }
}
