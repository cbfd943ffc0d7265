package io.mnisttf.savedmodel.internal.worker;

import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in for {@link WorkerMain} that misbehaves in one way ({@code args[0]}), to test that the parent
 * turns each into one line and reaps the process. Started by {@link WorkerLauncher#startOther}; mode
 * {@code hello} behaves (one frame, exit 0), for tests of the worker's command line.
 */
public final class MisbehavingWorker {
  private MisbehavingWorker() {}

  public static void main(String[] args) throws Exception {
    DataOutputStream out = new DataOutputStream(new FileOutputStream(FileDescriptor.out));
    switch (args[0]) {
      case "abort" -> {
        System.err.println("2026-12-01 20:00:00.000000: I tensorflow/core/platform/cpu_feature_guard.cc:210] some info");
        System.err.println("F0000 00:00:1796155718.705108   10945 tensor_shape.cc:587] Check failed: 0 <= new_num_elements"
            + " (0 vs. -1)");
        System.err.flush();
        new ProcessBuilder("kill", "-ABRT", Long.toString(ProcessHandle.current().pid())).start().waitFor();
        hang();
      }
      case "segv" -> unsafe().getClass().getMethod("putAddress", long.class, long.class).invoke(unsafe(), 0L, 0L);
      case "hang" -> hang();
      case "garbage" -> {
        out.writeBytes("Hello from a native printf\n");
        out.flush();
        hang();
      }
      case "exit" -> {
        System.err.println("2026-12-01 20:00:00.000000: E tensorflow/core/framework/op_kernel.cc:1] INVALID_ARGUMENT:"
            + " NodeDef mentions attr 'x' not in Op");
        System.exit(7);
      }
      case "heap" -> {
        List<long[]> hog = new ArrayList<>();
        while (true) {
          hog.add(new long[1 << 20]);
        }
      }
      case "native" -> {
        Object u = unsafe();
        while (true) {
          long address = (long) u.getClass().getMethod("allocateMemory", long.class).invoke(u, 64L << 20);
          u.getClass().getMethod("setMemory", long.class, long.class, byte.class).invoke(u, address, 64L << 20, (byte) 1);
        }
      }
      case "flood" -> {
        for (int i = 0; i < 20_000; i++) {
          System.err.println("W0000 tensorflow/core/framework/op_def_util.cc:369] line " + i + " of a dumped proto");
        }
        System.err.println("terminate called after throwing an instance of 'std::bad_alloc'");
        System.err.println("  what():  std::bad_alloc");
        System.err.flush();
        new ProcessBuilder("kill", "-ABRT", Long.toString(ProcessHandle.current().pid())).start().waitFor();
        hang();
      }
      case "hello" -> new Frame(Frame.Type.HELLO, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)).write(out);
      case "error" -> {
        Messages.frame(Frame.Type.ERROR, new Messages.Failure("NOT_A_CLASSIFIER", "some/model",
            "refused by the worker\nsecond line"))
            .write(out);
        hang();
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  private static void hang() throws InterruptedException {
    new CountDownLatch(1).await();
  }

  private static Object unsafe() throws ReflectiveOperationException, IOException {
    Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
    f.setAccessible(true);
    return f.get(null);
  }
}
