package io.mnisttf.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Python-trained SavedModels used as test fixtures. Those whose licence allows it are committed under
 * {@code src/test/resources/python-savedmodels/} with their licence, beside those this project made in Python;
 * the others exist only in
 * {@code ../shared/fixtures/python-savedmodels/}, beside this repository's own CI clone. A test that needs one
 * of those is skipped, saying so on standard error and in its report, when it is absent: the test command
 * passes on a fresh clone with nothing beside it.
 */
public final class Fixtures {
  /** Fixtures committed with this repository (each with its LICENSE and README). */
  public static final Path COMMITTED = Path.of("src", "test", "resources", "python-savedmodels");
  /** Fixtures beside the clone, when there. */
  public static final Path SHARED = Path.of("..", "shared", "fixtures", "python-savedmodels");

  /**
   * Committed: MIT (keras2-cnn-logits-tf20) and CC0 (keras2-mlp-200-60-tf212), each with its LICENSE; and those
   * this project made with {@code src/python/fixtures/make_fixtures.sh}, each README saying how.
   */
  public static final List<String> COMMITTED_NAMES = List.of("keras2-cnn-logits-tf20", "keras2-mlp-200-60-tf212",
      "tf1-serving-example-classify", "image-bytes-png-map-fn", "image-bytes-decode-image-rgb", "image-bytes-jpeg",
      "keras-files", "keras3-jax-export");
  /** The committed fixtures that are SavedModels this tool scores (the others are refused, each with one line). */
  public static final List<String> COMMITTED_SCORABLE = List.of("keras2-cnn-logits-tf20", "keras2-mlp-200-60-tf212",
      "tf1-serving-example-classify", "image-bytes-png-map-fn", "image-bytes-decode-image-rgb", "image-bytes-jpeg");
  /** Only in ../shared (no licence to copy them). */
  public static final List<String> SHARED_ONLY_NAMES = List.of("keras2-flatten-dense10-tf24",
      "keras2-quickstart-softmax-tf20", "keras3-export-mlp-tf218");
  /** Every Python fixture known to the tests. */
  public static final List<String> ALL_NAMES = List.of("keras2-cnn-logits-tf20", "keras2-flatten-dense10-tf24",
      "keras2-mlp-200-60-tf212", "keras2-quickstart-softmax-tf20", "keras3-export-mlp-tf218");

  private Fixtures() {}

  /**
   * The folder of Python fixture {@code name}: the committed copy when there is one, else the one in
   * {@code ../shared}. When neither exists the calling test is skipped (a JUnit assumption), with a line on
   * standard error naming what is missing.
   */
  public static Path pythonModel(String name) {
    Path committed = COMMITTED.resolve(name);
    if (Files.isDirectory(committed)) {
      return committed;
    }
    if (COMMITTED_NAMES.contains(name)) {
      throw new IllegalStateException("committed fixture missing: " + committed.toAbsolutePath());
    }
    Path shared = SHARED.resolve(name);
    if (!Files.isDirectory(shared)) {
      String why = "skipped: fixture " + name + " is only in ../shared/fixtures/python-savedmodels/, which is not"
          + " beside this clone";
      System.err.println(why);
      Assumptions.abort(why);
    }
    return shared;
  }

  /** Whether {@code ../shared}'s fixtures are beside this clone. */
  public static boolean sharedPresent() {
    return Files.isDirectory(SHARED);
  }
}
