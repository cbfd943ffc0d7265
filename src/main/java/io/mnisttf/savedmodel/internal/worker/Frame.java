package io.mnisttf.savedmodel.internal.worker;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One message of the model worker's protocol, on the worker's standard input (requests) and standard output
 * (replies). On the wire a frame is a 4-byte magic {@code MNTW}, a version byte ({@value #VERSION}), a type
 * byte, a 4-byte big-endian payload length and the payload; anything else (a stray line of native output, a
 * truncated frame, a payload over {@value #MAX_PAYLOAD} bytes) is a {@link ProtocolException}.
 *
 * <p>Requests: {@link Type#OPEN} (JSON: {@code Messages.Open}),
 * {@link Type#RUN} (an int image count, then {@code count * 784} float32 pixels) or
 * {@link Type#RUN_LEVELS} (the count, then one byte per pixel: see {@link PixelCodec}), {@link Type#CLOSE}.
 * Replies: {@link Type#HELLO} once at start (JSON: version, pid), {@link Type#OPENED} (JSON: the
 * {@code ClassifierDescription} and batch size), {@link Type#RESULT}
 * ({@code count * 10} probabilities, then {@code count * 10} log-probabilities), {@link Type#CLOSED}, or
 * exactly one {@link Type#ERROR} (JSON: a one-line message) instead of the expected reply. The {@code SERVE_*}
 * frames run any signature with named tensors instead ({@link ServingFrames}).
 *
 * @param type what the frame is
 * @param payload its content (empty for requests and replies without one)
 */
public record Frame(Type type, byte[] payload) {
  /** Protocol version: a worker of another version is refused at its hello. */
  public static final int VERSION = 3;
  public static final int MAGIC = 0x4d4e5457; // "MNTW"
  /** Largest payload accepted: a batch of 10 000 images is 31 MB. */
  public static final int MAX_PAYLOAD = 64 << 20;

  /** Frame types; the byte on the wire is the ordinal plus one. */
  public enum Type { HELLO, OPEN, OPENED, RUN, RESULT, CLOSE, CLOSED, ERROR, RUN_LEVELS,
    // serving (any signature, named tensors): see ServingFrames
    SERVE_OPEN, SERVE_OPENED, SERVE_RUN, SERVE_RESULT }

  /** The protocol was broken: garbage, a truncated frame, or an unexpected frame. */
  public static final class ProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    ProtocolException(String message) {
      super(message);
    }
  }

  public static Frame of(Type type) {
    return new Frame(type, new byte[0]);
  }

  public static Frame json(Type type, String json) {
    return new Frame(type, json.getBytes(StandardCharsets.UTF_8));
  }

  /** The payload as UTF-8 text. */
  public String text() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  /** A frame whose payload is an int count followed by float arrays, in this byte order. */
  public static Frame floats(Type type, int count, float[]... arrays) {
    int values = 0;
    for (float[] a : arrays) {
      values += a.length;
    }
    ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * values).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putInt(count);
    for (float[] a : arrays) {
      buffer.asFloatBuffer().put(a);
      buffer.position(buffer.position() + 4 * a.length);
    }
    return new Frame(type, buffer.array());
  }

  /** A {@link #floats} frame of one array slice: {@code length} values of {@code values} from {@code offset}. */
  public static Frame floats(Type type, int count, float[] values, int offset, int length) {
    ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putInt(count);
    buffer.asFloatBuffer().put(values, offset, length);
    return new Frame(type, buffer.array());
  }

  /** The count of a {@link #floats} frame. */
  public int count() throws ProtocolException {
    if (payload.length < 4) {
      throw new ProtocolException(type + " frame of " + payload.length + " bytes has no count");
    }
    return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
  }

  /** Reads {@code into.length} floats of a {@link #floats} frame, starting at float {@code from}. */
  public void readFloats(int from, float[] into, int length) throws ProtocolException {
    readFloats(from, into, 0, length);
  }

  /**
   * Reads {@code length} floats of a {@link #floats} frame, starting at float {@code from}, into {@code into}
   * from index {@code offset}.
   */
  public void readFloats(int from, float[] into, int offset, int length) throws ProtocolException {
    long needed = 4 + 4L * (from + (long) length);
    if (from < 0 || length < 0 || payload.length < needed) {
      throw new ProtocolException(String.format(Locale.ROOT, "%s frame of %d bytes, %d expected", type,
          payload.length, needed));
    }
    ByteBuffer.wrap(payload, 4 + 4 * from, 4 * length).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
        .get(into, offset, length);
  }

  /** Writes this frame and flushes. */
  public void write(DataOutputStream out) throws IOException {
    out.writeInt(MAGIC);
    out.writeByte(VERSION);
    out.writeByte(type.ordinal() + 1);
    out.writeInt(payload.length);
    out.write(payload);
    out.flush();
  }

  /**
   * Reads one frame.
   *
   * @throws EOFException when the stream ends before a frame starts
   * @throws ProtocolException when what arrives is not a frame of this version
   */
  public static Frame read(DataInputStream in) throws IOException {
    int magic;
    try {
      magic = in.readInt();
    } catch (EOFException e) {
      throw new EOFException("the stream ended");
    }
    if (magic != MAGIC) {
      throw new ProtocolException(String.format(Locale.ROOT, "garbage instead of a frame (0x%08x: \"%s\")",
          magic, printable(magic)));
    }
    try {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new ProtocolException("protocol version " + version + ", " + VERSION + " expected");
      }
      int type = in.readUnsignedByte();
      if (type < 1 || type > Type.values().length) {
        throw new ProtocolException("unknown frame type " + type);
      }
      int length = in.readInt();
      if (length < 0 || length > MAX_PAYLOAD) {
        throw new ProtocolException("frame payload of " + length + " bytes (at most " + MAX_PAYLOAD + ")");
      }
      byte[] payload = in.readNBytes(length);
      if (payload.length != length) {
        throw new ProtocolException("truncated frame (" + payload.length + " of " + length + " bytes)");
      }
      return new Frame(Type.values()[type - 1], payload);
    } catch (EOFException e) {
      throw new ProtocolException("truncated frame");
    }
  }

  private static String printable(int word) {
    StringBuilder s = new StringBuilder();
    for (int shift = 24; shift >= 0; shift -= 8) {
      int c = (word >>> shift) & 0xff;
      s.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
    }
    return s.toString();
  }
}
