package io.mnisttf.savedmodel;

import java.util.Set;
import java.util.stream.Collectors;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.OpDef;

/** The op types this process's TensorFlow runtime knows (1788 in TensorFlow 2.18), read once. */
final class RegisteredOps {
  private static volatile Set<String> names;

  private RegisteredOps() {}

  static Set<String> names() {
    Set<String> result = names;
    if (result == null) {
      synchronized (RegisteredOps.class) {
        result = names;
        if (result == null) {
          result = TensorFlow.registeredOpList().getOpList().stream()
              .map(OpDef::getName)
              .collect(Collectors.toUnmodifiableSet());
          names = result;
        }
      }
    }
    return result;
  }
}
