package io.mnisttf.runtime;

import com.sun.jna.Platform;

/**
 * Makes every TensorFlow session of the process run its kernels on the number of threads its own
 * {@code ConfigProto} asks for ({@code intra_op_parallelism_threads}).
 *
 * <p>By default TensorFlow 2.18 gives all the sessions of a process one CPU thread pool, sized by the options of the
 * first session created, and ignores the thread counts of every later one. The tool creates its first session
 * before it knows the command's (to load TensorFlow quietly, {@link QuietTensorFlow}), with the default of one
 * thread per core, so {@code train}'s one-thread session for the tutorial's MLP ran its small matrix products
 * split across two cores: about 0.44 instead of 0.30 ms a step on the 2-core machine. With
 * {@code TF_OVERRIDE_GLOBAL_THREADPOOL=1} in the process environment, which TensorFlow reads once, when it creates
 * its first device, each session gets a pool of its own size. {@link #apply} sets it, unless the user did. The model
 * worker does not: its sessions all ask for the defaults, and loading JNA there cost about 0.07 s of every
 * {@code evaluate}.
 */
public final class SessionThreads {
  static final String VARIABLE = "TF_OVERRIDE_GLOBAL_THREADPOOL";

  private SessionThreads() {}

  /**
   * Sets {@code TF_OVERRIDE_GLOBAL_THREADPOOL=1} in the native environment unless it is set; call it first thing in
   * {@code main}, before any other thread starts and before any session is created. Returns whether each session
   * now gets its own pool: false where the C library cannot be reached or the user set the variable to something
   * else than 1 or true.
   */
  public static boolean apply() {
    String value = System.getenv(VARIABLE);
    if (value != null) {
      return value.equals("1") || value.equalsIgnoreCase("true");
    }
    if (!Platform.isLinux() && !Platform.isMac()) {
      return false;
    }
    try {
      return LibC.load().setenv(VARIABLE, "1", 0) == 0;
    } catch (LinkageError | RuntimeException e) {
      return false; // no C library access: sessions share the first session's pool, as TensorFlow does by default
    }
  }
}
