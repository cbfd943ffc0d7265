package io.mnisttf.runtime;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.OpList;

/**
 * The op types this process's TensorFlow runtime knows (1788 in TensorFlow 2.18) with their definitions, read
 * once: fetching and parsing the list takes about 0.2 s.
 */
public final class RegisteredOps {
  private static volatile Map<String, OpDef> defs;

  private RegisteredOps() {}

  /** The TensorFlow runtime's version (this process's, which loads TensorFlow). */
  public static String version() {
    return TensorFlow.version();
  }

  /** Names of every registered op type. */
  public static Set<String> names() {
    return all().keySet();
  }

  /**
   * Reads the list on a low-priority daemon thread, so that a later call finds it ready: the trainer's export
   * needs it, and the idle core reads it while training runs; the model worker reads it while it checks a model.
   */
  public static void preloadInBackground() {
    Thread ops = new Thread(RegisteredOps::names, "registered-ops");
    ops.setDaemon(true);
    ops.setPriority(Thread.MIN_PRIORITY);
    ops.start();
  }

  /** The registered definition of an op type, if it is known. */
  public static Optional<OpDef> get(String opType) {
    return Optional.ofNullable(all().get(opType));
  }

  private static Map<String, OpDef> all() {
    Map<String, OpDef> result = defs;
    if (result == null) {
      synchronized (RegisteredOps.class) {
        result = defs;
        if (result == null) {
          result = index(TensorFlow.registeredOpList());
          defs = result;
        }
      }
    }
    return result;
  }

  private static Map<String, OpDef> index(OpList ops) {
    return ops.getOpList().stream()
        .collect(Collectors.toUnmodifiableMap(OpDef::getName, Function.identity(), (a, b) -> a));
  }
}
