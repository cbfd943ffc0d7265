package io.mnisttf.cli;

import io.mnisttf.util.MoreFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit extension that gives test methods a {@link Model} parameter: one model trained briefly and exported
 * through the CLI, shared by every test class of this JVM that uses the extension, and deleted with its folder
 * when the test run ends (JUnit closes what the root store holds).
 */
final class TrainedExport implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TrainedExport.class);

  /**
   * @param dir the exported version folder (about 0.93 test accuracy: 20 000 examples, 2 epochs)
   * @param testAccuracy the test accuracy {@code train --json} printed for it
   */
  record Model(Path dir, double testAccuracy) {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Model.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(Shared.class, key -> Shared.train(), Shared.class).model;
  }

  /** The trained model and the temporary folder that holds it, deleted on close. */
  private static final class Shared implements AutoCloseable {
    private final Path base;
    private final Model model;

    private Shared(Path base, Model model) {
      this.base = base;
      this.model = model;
    }

    static Shared train() {
      Path base = null;
      try {
        base = Files.createTempDirectory("mnist-tf-java-test-export");
        CliRun run = CliRun.of("--limit", "20000", "--epochs", "2", "--json", "--quiet", "--export-dir",
            base.resolve("mnist").toString(), "--runs-dir", base.resolve("runs").toString());
        if (run.exitCode() != 0) {
          throw new IllegalStateException("training the shared test model failed:\n" + run);
        }
        return new Shared(base, new Model(Path.of(run.json().get("export_dir").getAsString()),
            run.json().get("test_accuracy").getAsDouble()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (RuntimeException e) {
        deleteQuietly(base, e);
        throw e;
      }
    }

    @Override
    public void close() throws IOException {
      MoreFiles.deleteRecursively(base);
    }

    private static void deleteQuietly(Path base, RuntimeException failure) {
      if (base != null) {
        try {
          MoreFiles.deleteRecursively(base);
        } catch (IOException e) {
          failure.addSuppressed(e);
        }
      }
    }
  }
}
