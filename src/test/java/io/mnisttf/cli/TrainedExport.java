package io.mnisttf.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One model trained briefly and exported through the CLI, shared by the tests of this JVM. */
final class TrainedExport {
  private static Path version;

  private TrainedExport() {}

  /** The exported version folder (about 0.93 test accuracy: 20 000 examples, 2 epochs). */
  static synchronized Path get() {
    if (version == null) {
      try {
        Path base = Files.createTempDirectory("mnist-tf-java-test-export");
        base.toFile().deleteOnExit();
        CliRun run = CliRun.of("--limit", "20000", "--epochs", "2", "--json", "--quiet", "--export-dir",
            base.resolve("mnist").toString(), "--runs-dir", base.resolve("runs").toString());
        if (run.exitCode() != 0) {
          throw new IllegalStateException("training the shared test model failed:\n" + run);
        }
        version = Path.of(run.json().get("export_dir").getAsString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return version;
  }
}
