package io.mnisttf.savedmodel.internal.worker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.proto.DataType;

/**
 * The payloads of the serving frames ({@link Frame.Type#SERVE_OPEN}, {@link Frame.Type#SERVE_OPENED},
 * {@link Frame.Type#SERVE_RUN}, {@link Frame.Type#SERVE_RESULT}), which run any signature of any SavedModel with
 * named tensors, as TF Serving does.
 *
 * <ul>
 *   <li>{@code SERVE_OPEN}: JSON {@link Open}.
 *   <li>{@code SERVE_OPENED}: a status (int code, UTF message), then the model's signature defs as a serialized
 *       {@code MetaGraphDef} that holds only them.
 *   <li>{@code SERVE_RUN}: the signature key (UTF), then named tensors.
 *   <li>{@code SERVE_RESULT}: a status, then (when the code is 0) the signature's outputs as named tensors.
 * </ul>
 *
 * A status code is TensorFlow's ({@code 0} OK, {@code 3} invalid argument, ...): the worker answers every request
 * with a status of its own, so that a refused input or a failing model call is told apart from a worker that died.
 * Named tensors are an int count, then for each: name (UTF), dtype number, rank, dims (longs), and the elements:
 * an int byte length and the little-endian bytes, or for strings an int length and the bytes of each.
 */
final class ServingFrames {
  /** Longest status message kept (TensorFlow's errors can quote whole graphs). */
  static final int MAX_MESSAGE = 8192;

  private ServingFrames() {}

  /**
   * Open a SavedModel version folder for serving.
   *
   * @param model the version folder, as the parent names it (the worker runs in the same working folder)
   * @param allowUnsafeOps load it even when its graph holds ops that touch files, the network or processes
   */
  record Open(String model, boolean allowUnsafeOps) {}

  /** A decoded status and what follows it. */
  record Reply<T>(int code, String message, T body) {
    boolean ok() {
      return code == 0;
    }
  }

  static Frame open(String model, boolean allowUnsafeOps) {
    return Messages.frame(Frame.Type.SERVE_OPEN, new Open(model, allowUnsafeOps));
  }

  static Frame opened(int code, String message, byte[] signatureDefs) {
    return build(Frame.Type.SERVE_OPENED, out -> {
      status(out, code, message);
      out.writeInt(signatureDefs.length);
      out.write(signatureDefs);
    });
  }

  static Reply<byte[]> readOpened(Frame frame) throws Frame.ProtocolException {
    return read(frame, in -> {
      int length = in.readInt();
      if (length < 0 || length > in.available()) {
        throw new Frame.ProtocolException("SERVE_OPENED frame with a body of " + length + " bytes");
      }
      return in.readNBytes(length);
    });
  }

  static Frame run(String signature, Map<String, WireTensor> inputs) {
    return build(Frame.Type.SERVE_RUN, out -> {
      out.writeUTF(signature);
      writeTensors(out, inputs);
    });
  }

  /** A decoded {@code SERVE_RUN}: the signature key and its inputs. */
  record Run(String signature, Map<String, WireTensor> inputs) {}

  static Run readRun(Frame frame) throws Frame.ProtocolException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(frame.payload()))) {
      String signature = in.readUTF();
      return new Run(signature, readTensors(in));
    } catch (Frame.ProtocolException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new Frame.ProtocolException("malformed SERVE_RUN frame (" + e.getMessage() + ")");
    }
  }

  static Frame result(int code, String message, Map<String, WireTensor> outputs) {
    return build(Frame.Type.SERVE_RESULT, out -> {
      status(out, code, message);
      if (code == 0) {
        writeTensors(out, outputs);
      }
    });
  }

  static Reply<Map<String, WireTensor>> readResult(Frame frame) throws Frame.ProtocolException {
    return read(frame, ServingFrames::readTensors);
  }

  /** The bytes {@code tensors} take in a frame, about (to refuse what would not fit before encoding it). */
  static long size(Map<String, WireTensor> tensors) {
    long n = 4;
    for (Map.Entry<String, WireTensor> t : tensors.entrySet()) {
      n += 2 + 3L * t.getKey().length() + t.getValue().wireBytes();
    }
    return n;
  }

  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  private interface BodyReader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static Frame build(Frame.Type type, Body body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      body.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return new Frame(type, bytes.toByteArray());
  }

  private static void status(DataOutputStream out, int code, String message) throws IOException {
    out.writeInt(code);
    String m = message == null ? "" : message;
    if (m.length() > MAX_MESSAGE) {
      m = m.substring(0, MAX_MESSAGE) + "...";
    }
    out.writeUTF(m);
  }

  private static <T> Reply<T> read(Frame frame, BodyReader<T> body) throws Frame.ProtocolException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(frame.payload()))) {
      int code = in.readInt();
      String message = in.readUTF();
      T value = code == 0 ? body.read(in) : null;
      return new Reply<>(code, message, value);
    } catch (Frame.ProtocolException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new Frame.ProtocolException("malformed " + frame.type() + " frame (" + e.getMessage() + ")");
    }
  }

  private static void writeTensors(DataOutputStream out, Map<String, WireTensor> tensors) throws IOException {
    out.writeInt(tensors.size());
    for (Map.Entry<String, WireTensor> e : tensors.entrySet()) {
      WireTensor t = e.getValue();
      out.writeUTF(e.getKey());
      out.writeInt(t.dtype().getNumber());
      out.writeInt(t.rank());
      for (int i = 0; i < t.rank(); i++) {
        out.writeLong(t.dim(i));
      }
      if (t.strings() != null) {
        for (byte[] s : t.strings()) {
          out.writeInt(s.length);
          out.write(s);
        }
      } else {
        out.writeInt(t.data().length);
        out.write(t.data());
      }
    }
  }

  private static Map<String, WireTensor> readTensors(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new Frame.ProtocolException("a count of " + n + " tensors");
    }
    Map<String, WireTensor> tensors = new LinkedHashMap<>();
    for (int k = 0; k < n; k++) {
      String name = in.readUTF();
      DataType dtype = DataType.forNumber(in.readInt());
      int rank = in.readInt();
      if (dtype == null || rank < 0 || rank > 64) {
        throw new Frame.ProtocolException("tensor '" + name + "' of dtype " + dtype + " and rank " + rank);
      }
      long[] shape = new long[rank];
      for (int i = 0; i < rank; i++) {
        shape[i] = in.readLong();
      }
      long count;
      try {
        count = WireTensor.count(shape);
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw new Frame.ProtocolException("tensor '" + name + "' of shape " + java.util.Arrays.toString(shape));
      }
      if (dtype == DataType.DT_STRING) {
        if (count > in.available() / 4) {
          throw new Frame.ProtocolException("tensor '" + name + "' of " + count + " strings in a short frame");
        }
        byte[][] strings = new byte[(int) count][];
        for (int i = 0; i < count; i++) {
          strings[i] = bytes(in, in.readInt(), name);
        }
        tensors.put(name, WireTensor.ofStrings(shape, strings));
      } else {
        byte[] data = bytes(in, in.readInt(), name);
        try {
          tensors.put(name, WireTensor.of(dtype, shape, data));
        } catch (IllegalArgumentException e) {
          throw new Frame.ProtocolException("tensor '" + name + "': " + e.getMessage());
        }
      }
    }
    return tensors;
  }

  private static byte[] bytes(DataInputStream in, int length, String name) throws IOException {
    if (length < 0 || length > in.available()) {
      throw new Frame.ProtocolException("tensor '" + name + "' with " + length + " bytes in a short frame");
    }
    byte[] b = in.readNBytes(length);
    if (b.length != length) {
      throw new EOFException("truncated tensor '" + name + "'");
    }
    return b;
  }
}
