package io.mnisttf.savedmodel.internal.runtime;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.mnisttf.data.MnistData;
import java.util.Arrays;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Example;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;
import io.mnisttf.savedmodel.ExampleFeature;
import io.mnisttf.savedmodel.ImageDecode;
import io.mnisttf.savedmodel.ModelSignature;

/**
 * Turns MNIST images (784 pixels in [0,1] each) into the tensor a signature's input takes: scaled, zero-padded
 * to 32x32 for the padded layouts, zero rows added up to a fixed batch size, in the input's own type (float32,
 * float16, float64; uint8, int32, int64 as whole numbers, rounded), as serialized {@code tf.Example} protos
 * whose image feature holds the values (a {@code float_list} or an {@code int64_list}), or as encoded image files
 * ({@link ImageEncoder}) for a graph that decodes them. Thread-safe: it holds no state between calls.
 */
public final class InputFeeder {
  private static final int PIXELS = MnistData.PIXELS;
  private final ModelSignature signature;
  private final int values;

  public InputFeeder(ModelSignature signature) {
    this.signature = signature;
    this.values = signature.layout().valuesPerImage();
  }

  /**
   * The input tensor for images {@code from .. from + n - 1} of {@code pixels}, as {@code rows} rows (the rows
   * after {@code n} are zero images). The caller closes it.
   *
   * @param multiplier the factor applied to [0,1] pixels (1 or 255)
   */
  public Tensor tensor(float[] pixels, int from, int n, int rows, float multiplier) {
    DataType type = signature.feedType();
    if (signature.example() == null && type == DataType.DT_FLOAT && multiplier == 1f && rows == n
        && !signature.layout().padded()) {
      // The common case: wrap the caller's array, no copy on the Java side.
      return TFloat32.tensorOf(shape(rows), DataBuffers.of(pixels, true, false).slice((long) from * PIXELS,
          (long) n * PIXELS));
    }
    int size = rows * values;
    float[] scratch = new float[size];
    for (int i = 0; i < n; i++) {
      signature.layout().copy(pixels, (from + i) * PIXELS, multiplier, scratch, i * values);
    }
    Arrays.fill(scratch, n * values, size, 0f);
    if (signature.integerFeed()) {
      for (int i = 0; i < size; i++) {
        scratch[i] = Math.round(scratch[i]);
      }
    }
    if (signature.example() != null) {
      return examples(scratch, rows);
    }
    if (signature.decode() != null) {
      return encodedImages(scratch, rows);
    }
    FloatDataBuffer data = DataBuffers.of(scratch, true, false).slice(0, size);
    Shape shape = shape(rows);
    switch (type) {
      case DT_HALF:
        return TFloat16.tensorOf(shape, data);
      case DT_DOUBLE: {
        double[] d = new double[size];
        for (int i = 0; i < size; i++) {
          d[i] = scratch[i];
        }
        return TFloat64.tensorOf(shape, DataBuffers.of(d, true, false));
      }
      case DT_UINT8: {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
          b[i] = (byte) Math.max(0, Math.min(255, (int) scratch[i]));
        }
        return TUint8.tensorOf(shape, DataBuffers.of(b, true, false));
      }
      case DT_INT32: {
        int[] v = new int[size];
        for (int i = 0; i < size; i++) {
          v[i] = (int) scratch[i];
        }
        return TInt32.tensorOf(shape, DataBuffers.of(v, true, false));
      }
      case DT_INT64: {
        long[] v = new long[size];
        for (int i = 0; i < size; i++) {
          v[i] = (long) scratch[i];
        }
        return TInt64.tensorOf(shape, DataBuffers.of(v, true, false));
      }
      default:
        return TFloat32.tensorOf(shape, data);
    }
  }

  private Shape shape(int rows) {
    return Shape.of(signature.layout().shape(rows));
  }

  /** One encoded image per row, as a vector of strings (a scalar for a scalar input). */
  private Tensor encodedImages(float[] scratch, int rows) {
    ImageDecode decode = signature.decode();
    int side = signature.layout().side();
    byte[] gray = new byte[values];
    byte[][] encoded = new byte[rows][];
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < values; i++) {
        gray[i] = (byte) Math.max(0, Math.min(255, (int) scratch[r * values + i]));
      }
      encoded[r] = ImageEncoder.encode(decode.format(), decode.encodedChannels(), gray, 0, side, side);
    }
    Shape shape = signature.scalarInput() ? Shape.scalar() : Shape.of(rows);
    return TString.tensorOfBytes(shape, DataBuffers.ofObjects(encoded));
  }

  /** One serialized Example per row, as a vector of strings (a scalar for ParseSingleExample). */
  private Tensor examples(float[] scratch, int rows) {
    ExampleFeature feature = signature.example();
    byte[][] serialized = new byte[rows][];
    for (int r = 0; r < rows; r++) {
      serialized[r] = serializedExample(feature.key(), feature.dtype() == DataType.DT_INT64, scratch, r * values,
          values);
    }
    Shape shape = signature.scalarInput() ? Shape.scalar() : Shape.of(rows);
    return TString.tensorOfBytes(shape, DataBuffers.ofObjects(serialized));
  }

  /**
   * The wire bytes of {@code Example{features{feature{key: {float_list|int64_list{value: [...]}}}}}} holding
   * {@code count} values of {@code values} from {@code from} (whole numbers for int64), written directly: the
   * same bytes as building the {@link Example} proto, without boxing every value.
   */
  public static byte[] serializedExample(String key, boolean int64, float[] values, int from, int count) {
    int valueBytes = 0;
    if (int64) {
      for (int i = 0; i < count; i++) {
        valueBytes += CodedOutputStream.computeInt64SizeNoTag((long) values[from + i]);
      }
    } else {
      valueBytes = 4 * count;
    }
    int list = delimited(valueBytes); // FloatList / Int64List: packed field 1
    int feature = delimited(list); // Feature: float_list = 2, int64_list = 3
    int entry = CodedOutputStream.computeStringSize(1, key) + delimited(feature); // map entry: key 1, value 2
    int features = delimited(entry); // Features: feature = 1
    byte[] out = new byte[delimited(features)]; // Example: features = 1
    CodedOutputStream c = CodedOutputStream.newInstance(out);
    try {
      c.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      c.writeUInt32NoTag(features);
      c.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      c.writeUInt32NoTag(entry);
      c.writeString(1, key);
      c.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      c.writeUInt32NoTag(feature);
      c.writeTag(int64 ? 3 : 2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      c.writeUInt32NoTag(list);
      c.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      c.writeUInt32NoTag(valueBytes);
      for (int i = 0; i < count; i++) {
        if (int64) {
          c.writeInt64NoTag((long) values[from + i]);
        } else {
          c.writeFloatNoTag(values[from + i]);
        }
      }
      c.checkNoSpaceLeft();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("tf.Example size miscomputed", e);
    }
    return out;
  }

  /** Size of a length-delimited field with a one-byte tag and {@code length} bytes of content. */
  private static int delimited(int length) {
    return 1 + CodedOutputStream.computeUInt32SizeNoTag(length) + length;
  }
}
