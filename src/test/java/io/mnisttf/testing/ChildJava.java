package io.mnisttf.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Commands that run a main class of this build in a fresh JVM: the running JVM's launcher, the test class path. */
public final class ChildJava {
  private ChildJava() {}

  /** The {@code java} launcher of the JVM running the tests. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** {@code java <jvmOptions> -cp <the test class path> <mainClass> <args>}. */
  public static List<String> command(List<String> jvmOptions, String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }
}
