package io.mnisttf.savedmodel.internal.worker;

import io.mnisttf.data.MnistData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * How a batch of pixels crosses the pipe. Pixels that are all exact MNIST levels (a byte scaled as
 * {@link MnistData#scaled} does, which is what the test set and the calibration sample hold) go as one byte each,
 * a quarter of the float32 frame, and the worker turns them back into the very same floats; any other pixel
 * makes the batch go as float32.
 */
public final class PixelCodec {
  private static final float[] LEVELS = new float[256];

  static {
    for (int k = 0; k < LEVELS.length; k++) {
      LEVELS[k] = MnistData.scaled(k);
    }
  }

  private PixelCodec() {}

  /**
   * A {@link Frame.Type#RUN_LEVELS} frame of {@code count} images from {@code pixels[offset]} when every pixel is
   * an exact level, else a {@link Frame.Type#RUN} frame of float32 pixels.
   */
  public static Frame run(int count, float[] pixels, int offset) {
    int length = count * MnistData.PIXELS;
    byte[] payload = new byte[4 + length];
    ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).putInt(count);
    for (int i = 0; i < length; i++) {
      float p = pixels[offset + i];
      int level = (int) (p * 255f + 0.5f);
      // raw bits: -0.0 and NaN are not levels
      if (level < 0 || level > 255 || Float.floatToRawIntBits(LEVELS[level]) != Float.floatToRawIntBits(p)) {
        return Frame.floats(Frame.Type.RUN, count, pixels, offset, length);
      }
      payload[4 + i] = (byte) level;
    }
    return new Frame(Frame.Type.RUN_LEVELS, payload);
  }

  /** The images of a {@link #run} frame of either type into {@code into}, which holds at least that many. */
  public static void read(Frame run, int count, float[] into) throws Frame.ProtocolException {
    int length = count * MnistData.PIXELS;
    if (run.type() == Frame.Type.RUN) {
      run.readFloats(0, into, length);
      return;
    }
    byte[] payload = run.payload();
    if (payload.length != 4 + length) {
      throw new Frame.ProtocolException(String.format(Locale.ROOT, "%s frame of %d bytes, %d expected",
          run.type(), payload.length, 4 + length));
    }
    for (int i = 0; i < length; i++) {
      into[i] = LEVELS[payload[4 + i] & 0xff];
    }
  }
}
