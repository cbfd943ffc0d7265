package io.mnisttf.savedmodel.internal.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mnisttf.data.MnistData;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Batches of MNIST levels cross as bytes and come back bit for bit; anything else crosses as float32. */
class PixelCodecTest {
  @Test
  void everyLevelCrossesAsOneByteAndComesBackBitForBit() throws Exception {
    int count = 2;
    float[] pixels = new float[3 * MnistData.PIXELS];
    Arrays.fill(pixels, Float.NaN); // outside the slice sent
    for (int i = 0; i < count * MnistData.PIXELS; i++) {
      pixels[MnistData.PIXELS + i] = MnistData.scaled(i % 256);
    }
    Frame frame = PixelCodec.run(count, pixels, MnistData.PIXELS);
    assertEquals(Frame.Type.RUN_LEVELS, frame.type());
    assertEquals(4 + count * MnistData.PIXELS, frame.payload().length);
    assertEquals(count, frame.count());
    float[] back = new float[count * MnistData.PIXELS];
    PixelCodec.read(frame, count, back);
    assertArrayEquals(Arrays.copyOfRange(pixels, MnistData.PIXELS, 3 * MnistData.PIXELS), back);
  }

  static Stream<Float> notLevels() {
    return Stream.of(0.5f, -0.0f, Float.NaN, Float.POSITIVE_INFINITY, -MnistData.scaled(1), 256f / 255f,
        Math.nextUp(1f), Math.nextUp(MnistData.scaled(1)), Math.nextDown(MnistData.scaled(200)));
  }

  @ParameterizedTest
  @MethodSource("notLevels")
  void anyOtherPixelSendsTheBatchAsFloats(float odd) throws Exception {
    float[] pixels = new float[MnistData.PIXELS];
    Arrays.fill(pixels, MnistData.scaled(7));
    pixels[300] = odd;
    Frame frame = PixelCodec.run(1, pixels, 0);
    assertEquals(Frame.Type.RUN, frame.type());
    float[] back = new float[MnistData.PIXELS];
    PixelCodec.read(frame, 1, back);
    assertEquals(Float.floatToRawIntBits(odd), Float.floatToRawIntBits(back[300]));
    assertEquals(MnistData.scaled(7), back[0]);
  }

  @Test
  void aLevelsFrameOfTheWrongSizeIsAProtocolError() {
    Frame truncated = new Frame(Frame.Type.RUN_LEVELS, new byte[4 + MnistData.PIXELS - 1]);
    assertThrows(Frame.ProtocolException.class, () -> PixelCodec.read(truncated, 1, new float[MnistData.PIXELS]));
  }
}
