package io.mnisttf.savedmodel.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.FloatList;
import org.tensorflow.proto.Int64List;
import io.mnisttf.savedmodel.InputLayout;

/** The hand-written tf.Example encoding and the 32x32 padding, checked against the protobuf library and by hand. */
class InputFeederTest {
  private static float[] values(int n, float scale) {
    float[] v = new float[n + 3];
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.round((i * 37 % 256) * scale) / scale;
    }
    return v;
  }

  @Test
  void floatExamplesAreWhatTheProtoBuilderWrites() throws Exception {
    float[] v = values(784, 255f);
    FloatList.Builder list = FloatList.newBuilder();
    for (int i = 0; i < 784; i++) {
      list.addValue(v[3 + i]);
    }
    Example expected = Example.newBuilder().setFeatures(Features.newBuilder()
        .putFeature("image/pixels", Feature.newBuilder().setFloatList(list).build())).build();
    byte[] bytes = InputFeeder.serializedExample("image/pixels", false, v, 3, 784);
    assertEquals(expected, Example.parseFrom(bytes));
    assertArrayEquals(expected.toByteArray(), bytes, "the same wire bytes");
  }

  @Test
  void int64ExamplesAreWhatTheProtoBuilderWrites() throws Exception {
    float[] v = values(1024, 1f);
    Int64List.Builder list = Int64List.newBuilder();
    for (int i = 0; i < 1024; i++) {
      list.addValue((long) v[i]);
    }
    Example expected = Example.newBuilder().setFeatures(Features.newBuilder()
        .putFeature("x", Feature.newBuilder().setInt64List(list).build())).build();
    assertEquals(expected, Example.parseFrom(InputFeeder.serializedExample("x", true, v, 0, 1024)));
  }

  @Test
  void paddingPutsTheImageInTheMiddleOfA32x32Frame() {
    float[] image = new float[784];
    image[0] = 1f; // top-left pixel
    image[783] = 0.5f; // bottom-right pixel
    float[] frame = new float[1024];
    java.util.Arrays.fill(frame, 9f);
    InputLayout.PADDED_IMAGE.copy(image, 0, 2f, frame, 0);
    assertEquals(2f, frame[2 * 32 + 2]);
    assertEquals(1f, frame[29 * 32 + 29]);
    float sum = 0;
    for (float f : frame) {
      sum += f;
    }
    assertEquals(3f, sum, "every other value is a zero");
  }
}
