package io.mnisttf.compat;

import java.util.List;

/**
 * One TensorFlow runtime the compatibility verdict and the live check know: the TensorFlow version, the Java
 * release that ships it (the {@code compat} Maven profile downloads it) and how its graph validation treats
 * a NodeDef attr that its op definition does not declare.
 *
 * <p>Unknown attrs: TensorFlow 1.15 and 2.4 refuse the graph ({@code NodeDef mentions attr 'grad_a' not in
 * Op<name=MatMul ...>}); from 2.5 on, {@code ValidateNodeDef} (core/framework/node_def_util.cc) logs
 * "NodeDef mentions attribute ... which is not in the op definition ... Unknown attributes will be ignored"
 * and goes on. Both behaviours were seen live, by loading an unstripped export in each runtime.
 *
 * @param version the TensorFlow version as users name it ({@code "2.18"})
 * @param javaRelease the Maven artifact that carries it
 * @param ignoresUnknownAttrs whether an undeclared attr is ignored (with a log line) rather than refused
 */
public record TfRuntime(String version, String javaRelease, boolean ignoresUnknownAttrs) {
  /** The six runtimes, oldest first: TF 1.15, 2.4, 2.7, 2.10, 2.16, 2.18. */
  public static final List<TfRuntime> ALL = List.of(
      new TfRuntime("1.15", "org.tensorflow:libtensorflow 1.15.0", false),
      new TfRuntime("2.4", "org.tensorflow:tensorflow-core-api 0.3.3", false),
      new TfRuntime("2.7", "org.tensorflow:tensorflow-core-api 0.4.2", true),
      new TfRuntime("2.10", "org.tensorflow:tensorflow-core-api 0.5.0", true),
      new TfRuntime("2.16", "org.tensorflow:tensorflow-core-api 1.0.0", true),
      new TfRuntime("2.18", "org.tensorflow:tensorflow-core-api 1.1.0", true));

  /** The runtime this project runs on, the reference of the live check. */
  public static final TfRuntime CURRENT = ALL.get(ALL.size() - 1);

  /** The folder the {@code compat} profile copies this runtime's jars into: {@code tf-2.18}. */
  public String folderName() {
    return "tf-" + version;
  }
}
