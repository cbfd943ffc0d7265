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
 * <p>JAX computations ({@link XlaModule}): a runtime runs an {@code XlaCallModule} up to a serialization version,
 * and reads StableHLO modules serialized up to a StableHLO version. Both were found live for 2.18: a JAX 0.10
 * export, its module re-serialized for each StableHLO version, and its version attr changed: 2.18 says
 * "XlaCallModuleOp with version 10 is not supported by this build. Must be <= 9", reads modules serialized for
 * StableHLO 1.8.0 and refuses 1.9.0 ("unknown vhlo attribute code"). Where they are not known (0 and
 * {@code null}), nothing is claimed.
 *
 * @param ignoresUnknownAttrs whether an undeclared attr is ignored (with a log line) rather than refused
 * @param xlaCallModuleMax the highest XlaCallModule serialization version it runs, or 0 when not known
 * @param stableHloMax the newest StableHLO version it reads ({@code "1.8"}: any 1.8.x), or {@code null} when not
 *     known
 */
public record TfRuntime(String version, String javaRelease, boolean ignoresUnknownAttrs, int xlaCallModuleMax,
    String stableHloMax) {
  /** The six runtimes, oldest first: TF 1.15, 2.4, 2.7, 2.10, 2.16, 2.18. */
  public static final List<TfRuntime> ALL = List.of(
      new TfRuntime("1.15", "org.tensorflow:libtensorflow 1.15.0", false, 0, null),
      new TfRuntime("2.4", "org.tensorflow:tensorflow-core-api 0.3.3", false, 0, null),
      new TfRuntime("2.7", "org.tensorflow:tensorflow-core-api 0.4.2", true, 0, null),
      new TfRuntime("2.10", "org.tensorflow:tensorflow-core-api 0.5.0", true, 0, null),
      new TfRuntime("2.16", "org.tensorflow:tensorflow-core-api 1.0.0", true, 0, null),
      new TfRuntime("2.18", "org.tensorflow:tensorflow-core-api 1.1.0", true, 9, "1.8"));

  /** The runtime this project runs on, the reference of the live check. */
  public static final TfRuntime CURRENT = ALL.get(ALL.size() - 1);

  /** The folder the {@code compat} profile copies this runtime's jars into: {@code tf-2.18}. */
  public String folderName() {
    return "tf-" + version;
  }
}
