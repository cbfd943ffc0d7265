package io.mnisttf.compat.live;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The child side of the compatibility check: runs in a JVM whose class path holds one TensorFlow runtime
 * (TF Java 0.3.3 to 1.1.0, or the TF1 Java API of libtensorflow 1.15) and nothing of this project but this
 * class, so it reaches TensorFlow only by reflection, through the few calls every one of those APIs has:
 * {@code SavedModelBundle.load}, {@code session().runner().feed/fetch/run}, and float tensors made with
 * {@code Tensor.create} (TF1) or {@code TFloat32.tensorOf} (TF Java).
 *
 * <p>Two modes, each answering on standard output with one {@code ok ...} or {@code error <phase>:
 * <message>} line (exit 0, or 3 on a load error and 4 on a run error):
 * <ul>
 *   <li>{@code run MODEL_DIR INPUT_TENSOR DIMS OUTPUT_TENSOR CLASSES IMAGES_FILE COUNT OUT_FILE}: loads the
 *       SavedModel with tag {@code serve}, feeds {@code COUNT} images of 784 little-endian float32 pixels each
 *       (shaped {@code [n,DIMS]}, e.g. {@code 28,28} or {@code 28,28,1}) in batches of 500, and writes the
 *       {@code COUNT x CLASSES} float32 outputs to {@code OUT_FILE};
 *   <li>{@code registry OUT_DIR}: writes {@code version.txt}, {@code ops.pb} (the serialized {@code OpList} of
 *       every registered op) and {@code empty-graph.pb} (a {@code GraphDef} of an empty graph, whose
 *       {@code versions.producer} is the runtime's {@code TF_GRAPH_DEF_VERSION}).
 * </ul>
 */
public final class RuntimeProbe {
  private static final int PIXELS = 784;
  private static final int BATCH = 500;

  private RuntimeProbe() {}

  /** Runs one mode; see the class comment. */
  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("registry")) {
      registry(Path.of(args[1]));
      System.out.println("ok " + call(Class.forName("org.tensorflow.TensorFlow"), "version"));
      return;
    }
    if (args.length != 9 || !args[0].equals("run")) {
      System.err.println("usage: RuntimeProbe run MODEL INPUT DIMS OUTPUT CLASSES IMAGES COUNT OUT"
          + " | registry OUT_DIR");
      System.exit(2);
    }
    Object bundle;
    try {
      bundle = call(Class.forName("org.tensorflow.SavedModelBundle"), "load", args[1], new String[] {"serve"});
    } catch (Throwable e) {
      fail("load", e, 3);
      return;
    }
    try (AutoCloseable closeBundle = (AutoCloseable) bundle) {
      long[] dims = java.util.Arrays.stream(args[3].split(",")).mapToLong(Long::parseLong).toArray();
      run(call(bundle, "session"), args[2], dims, args[4], Integer.parseInt(args[5]),
          Path.of(args[6]), Integer.parseInt(args[7]), Path.of(args[8]));
    } catch (Throwable e) {
      fail("run", e, 4);
    }
    System.out.println("ok " + call(Class.forName("org.tensorflow.TensorFlow"), "version"));
  }

  private static void fail(String phase, Throwable e, int exitCode) {
    Throwable cause = e instanceof InvocationTargetException && e.getCause() != null ? e.getCause() : e;
    String message = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
    System.out.println("error " + phase + ": " + message.replace('\n', ' ').strip());
    System.out.flush();
    System.exit(exitCode);
  }

  private static void run(Object session, String input, long[] exampleDims, String output, int classes, Path images,
      int count, Path outFile) throws Exception {
    try (InputStream in = Files.newInputStream(images); OutputStream out = Files.newOutputStream(outFile)) {
      DataInputStream pixelsIn = new DataInputStream(in);
      DataOutputStream scoresOut = new DataOutputStream(out);
      for (int start = 0; start < count; start += BATCH) {
        int n = Math.min(BATCH, count - start);
        byte[] raw = new byte[n * PIXELS * 4];
        pixelsIn.readFully(raw);
        float[] pixels = new float[n * PIXELS];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(pixels);
        long[] shape = new long[exampleDims.length + 1];
        shape[0] = n;
        System.arraycopy(exampleDims, 0, shape, 1, exampleDims.length);
        float[] scores = new float[n * classes];
        try (AutoCloseable tensor = floatTensor(shape, pixels)) {
          Object runner = call(call(session, "runner"), "feed", input, tensor);
          Object result = call(call(runner, "fetch", output), "run");
          try (AutoCloseable fetched = result instanceof List<?> list ? () -> closeAll(list) : (AutoCloseable) result) {
            Object first = result instanceof List<?> list ? list.get(0) : call(result, "get", 0);
            readFloats(first, scores);
          }
        }
        ByteBuffer bytes = ByteBuffer.allocate(scores.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(scores);
        scoresOut.write(bytes.array());
      }
    }
  }

  private static void closeAll(List<?> tensors) throws Exception {
    for (Object t : tensors) {
      ((AutoCloseable) t).close();
    }
  }

  /** A float32 tensor: {@code Tensor.create(long[], FloatBuffer)} in TF1, {@code TFloat32.tensorOf} after. */
  private static AutoCloseable floatTensor(long[] shape, float[] values) throws Exception {
    Class<?> tensor = Class.forName("org.tensorflow.Tensor");
    try {
      Method create = tensor.getMethod("create", long[].class, FloatBuffer.class);
      return (AutoCloseable) create.invoke(null, shape, FloatBuffer.wrap(values));
    } catch (NoSuchMethodException tfJava) {
      Class<?> shapeType = Class.forName("org.tensorflow.ndarray.Shape");
      Class<?> buffers = Class.forName("org.tensorflow.ndarray.buffer.DataBuffers");
      Object tfShape = shapeType.getMethod("of", long[].class).invoke(null, (Object) shape);
      Object buffer = buffers.getMethod("of", float[].class, boolean.class, boolean.class)
          .invoke(null, values, true, false);
      Class<?> floatBuffer = Class.forName("org.tensorflow.ndarray.buffer.FloatDataBuffer");
      return (AutoCloseable) Class.forName("org.tensorflow.types.TFloat32")
          .getMethod("tensorOf", shapeType, floatBuffer).invoke(null, tfShape, buffer);
    }
  }

  /** Copies a float tensor's values: {@code writeTo(FloatBuffer)} in TF1, the raw tensor's data after. */
  private static void readFloats(Object tensor, float[] dst) throws Exception {
    try {
      tensor.getClass().getMethod("writeTo", FloatBuffer.class).invoke(tensor, FloatBuffer.wrap(dst));
    } catch (NoSuchMethodException tfJava) {
      Object floats = call(call(call(tensor, "asRawTensor"), "data"), "asFloats");
      call(floats, "read", (Object) dst);
    }
  }

  private static void registry(Path dir) throws Exception {
    Files.createDirectories(dir);
    Class<?> tf = Class.forName("org.tensorflow.TensorFlow");
    Files.writeString(dir.resolve("version.txt"), (String) call(tf, "version"));
    Files.write(dir.resolve("ops.pb"), bytes(call(tf, "registeredOpList")));
    try (AutoCloseable graph = (AutoCloseable) Class.forName("org.tensorflow.Graph").getConstructor().newInstance()) {
      Files.write(dir.resolve("empty-graph.pb"), bytes(call(graph, "toGraphDef")));
    }
  }

  /** TF1 returns serialized protos as {@code byte[]}, TF Java as messages. */
  private static byte[] bytes(Object proto) throws Exception {
    return proto instanceof byte[] b ? b : (byte[]) call(proto, "toByteArray");
  }

  /**
   * Calls the public method {@code name} on {@code target} (a {@link Class} for a static method) whose
   * parameters accept {@code args}.
   */
  private static Object call(Object target, String name, Object... args) throws Exception {
    Class<?> type = target instanceof Class<?> c ? c : target.getClass();
    for (Method m : type.getMethods()) {
      if (m.getName().equals(name) && accepts(m.getParameterTypes(), args)) {
        m.setAccessible(true);
        return m.invoke(target instanceof Class<?> ? null : target, args);
      }
    }
    throw new NoSuchMethodException(type.getName() + "." + name + " with " + args.length + " argument(s)");
  }

  private static boolean accepts(Class<?>[] params, Object[] args) {
    if (params.length != args.length) {
      return false;
    }
    for (int i = 0; i < params.length; i++) {
      Class<?> p = params[i] == int.class ? Integer.class : params[i];
      if (args[i] != null && !p.isInstance(args[i])) {
        return false;
      }
    }
    return true;
  }
}
