package io.mnisttf.savedmodel.internal.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The worker protocol's frames: round trips, and every kind of broken input is a ProtocolException. */
class FrameTest {
  private static byte[] bytes(Frame... frames) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(out);
    for (Frame f : frames) {
      f.write(data);
    }
    return out.toByteArray();
  }

  private static Frame read(byte[] bytes) throws IOException {
    return Frame.read(new DataInputStream(new ByteArrayInputStream(bytes)));
  }

  @Test
  void floatsRoundTrip() throws IOException {
    float[] a = {1f, -2.5f, Float.NaN};
    float[] b = {0.25f};
    Frame f = read(bytes(Frame.floats(Frame.Type.RESULT, 7, a, b)));
    assertEquals(Frame.Type.RESULT, f.type());
    assertEquals(7, f.count());
    float[] back = new float[3];
    f.readFloats(0, back, 3);
    assertArrayEquals(a, back);
    f.readFloats(3, back, 1);
    assertEquals(0.25f, back[0]);
    assertThrows(Frame.ProtocolException.class, () -> f.readFloats(3, back, 2));
  }

  @Test
  void sliceFramesCarryOnlyTheSliceAndReadIntoAnOffset() throws IOException {
    float[] all = {9f, 1f, 2f, 3f, 9f};
    Frame f = read(bytes(Frame.floats(Frame.Type.RUN, 3, all, 1, 3)));
    assertEquals(3, f.count());
    assertEquals(4 + 3 * 4, f.payload().length);
    float[] into = {7f, 0f, 0f, 0f};
    f.readFloats(0, into, 1, 3);
    assertArrayEquals(new float[] {7f, 1f, 2f, 3f}, into);
    assertThrows(Frame.ProtocolException.class, () -> f.readFloats(1, into, 0, 3));
  }

  @Test
  void jsonRoundTrip() throws IOException {
    Frame f = read(bytes(Messages.frame(Frame.Type.ERROR, new Messages.Failure("MODEL_FILES", "m", "broken"))));
    assertEquals(new Messages.Failure("MODEL_FILES", "m", "broken"), Messages.parse(f, Messages.Failure.class));
    assertEquals("m: broken", Messages.parse(f, Messages.Failure.class).exception().getMessage());
    assertThrows(Frame.ProtocolException.class, () -> Messages.parse(Frame.json(Frame.Type.OPENED, "{"),
        Messages.Opened.class));
  }

  @Test
  void brokenInputIsAProtocolException() throws IOException {
    byte[] good = bytes(Frame.json(Frame.Type.HELLO, "{\"version\":1}"));
    var garbage = assertThrows(Frame.ProtocolException.class,
        () -> read("I0000 00:00 some log line\n".getBytes(StandardCharsets.UTF_8)));
    assertTrue(garbage.getMessage().contains("garbage instead of a frame (0x49303030: \"I000\")"), garbage.getMessage());
    byte[] version = good.clone();
    version[4] = 9;
    assertTrue(assertThrows(Frame.ProtocolException.class, () -> read(version)).getMessage()
        .contains("protocol version 9, " + Frame.VERSION + " expected"));
    byte[] type = good.clone();
    type[5] = 99;
    assertTrue(assertThrows(Frame.ProtocolException.class, () -> read(type)).getMessage().contains("unknown frame type"));
    byte[] huge = good.clone();
    huge[6] = 0x7f;
    assertTrue(assertThrows(Frame.ProtocolException.class, () -> read(huge)).getMessage().contains("payload of"));
    assertTrue(assertThrows(Frame.ProtocolException.class, () -> read(Arrays.copyOf(good, good.length - 1)))
        .getMessage().contains("truncated frame"));
    assertThrows(EOFException.class, () -> read(new byte[0]));
  }
}
