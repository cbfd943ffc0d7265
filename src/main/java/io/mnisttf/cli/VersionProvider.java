package io.mnisttf.cli;

import picocli.CommandLine.IVersionProvider;

/** Version line: this tool's version (from the jar manifest) and the TensorFlow runtime's. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String own = Main.class.getPackage().getImplementationVersion();
    return new String[] {
        "mnist-tf-java " + (own == null ? "(development build)" : own),
        "TensorFlow Java 1.1.0, TensorFlow runtime " + org.tensorflow.TensorFlow.version(),
    };
  }
}
