package io.mnisttf.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.testing.ChildJava;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A normal {@code train} and {@code evaluate} print no TensorFlow native log line, even when the environment
 * does not set {@code TF_CPP_MIN_LOG_LEVEL} (the test JVM's own setting is removed for the child).
 */
class NativeLogTest {
  /** TensorFlow's own lines ({@code 2026-12-01 19:58:55.08: I tensorflow/...}), absl's, and absl's banner. */
  private static final Pattern NATIVE = Pattern.compile(
      "^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+: [IWEF] .*|[IWEF]\\d{4} \\d\\d:\\d\\d:\\d+\\.\\d+ .*"
          + "|WARNING: All log messages before absl::InitializeLog\\(\\).*|To enable the following instructions.*)$");

  @TempDir Path tmp;

  private static List<String> run(String... args) throws IOException, InterruptedException {
    List<String> command = ChildJava.command(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
        "io.mnisttf.cli.Main", args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().remove("TF_CPP_MIN_LOG_LEVEL");
    Process process = builder.start();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), err);
    return err.lines().toList();
  }

  private static void assertNoNativeLine(List<String> stderr) {
    List<String> native_ = stderr.stream().filter(line -> NATIVE.matcher(line).matches()).toList();
    assertTrue(native_.isEmpty(), "native log lines on stderr:\n" + String.join("\n", native_)
        + "\n--- all of stderr:\n" + String.join("\n", stderr));
  }

  @Test
  void trainAndEvaluatePrintNoNativeLogLine() throws Exception {
    Path exports = tmp.resolve("exports");
    List<String> train = run("train", "--limit", "1000", "--epochs", "1", "--json", "--export-dir",
        exports.toString(), "--runs-dir", tmp.resolve("runs").toString());
    assertTrue(train.stream().anyMatch(line -> line.startsWith("Epoch 1/1 - ")), String.join("\n", train));
    assertNoNativeLine(train);
    List<String> evaluate = run("evaluate", "--model", exports.resolve("1").toString(), "--json");
    assertTrue(evaluate.stream().anyMatch(line -> line.startsWith("Test: loss")), String.join("\n", evaluate));
    assertNoNativeLine(evaluate);
  }
}
