package io.mnisttf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.mnisttf.testing.TestModel;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate} in the model worker (the default) scores exactly as {@code --in-process} does. */
class WorkerEvaluateTest {
  @TempDir Path tmp;

  private static void assertSameScores(Path model) {
    CliRun worker = CliRun.of("evaluate", "--model", model.toString(), "--json", "--verbose");
    CliRun inProcess = CliRun.of("evaluate", "--model", model.toString(), "--json", "--in-process");
    assertEquals(0, worker.exitCode(), worker::toString);
    assertEquals(0, inProcess.exitCode(), inProcess::toString);
    JsonObject w = worker.json();
    JsonObject p = inProcess.json();
    for (String field : new String[] {"loss", "accuracy", "confusion_matrix", "input_scale", "output_kind",
        "signature", "input_key", "output_key"}) {
      assertEquals(p.get(field), w.get(field), field + ": " + w + " vs " + p);
    }
    assertTrue(Arrays.stream(worker.errLines()).anyMatch(l -> l.startsWith("worker: ")),
        "--verbose shows the worker's log: " + worker);
  }

  @Test
  void pythonFixtureScoresTheSame() {
    assertSameScores(EvaluateCommandTest.FIXTURE);
  }

  @Test
  void degenerateModelIsScoredWithANote() throws Exception {
    Path dir = TestModel.linear().with(m -> m.constantOutput = true).export(tmp.resolve("constant"));
    CliRun run = CliRun.of("evaluate", "--model", dir.toString(), "--json");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.err().contains("Note:      the model's output does not depend on its input"), run::toString);
    assertTrue(run.json().getAsJsonArray("notes").get(0).getAsString().startsWith("the model's output does not"),
        run::toString);
  }

  @Test
  void workerOptionsAreChecked() {
    CliRun run = CliRun.of("evaluate", "--model", EvaluateCommandTest.FIXTURE.toString(), "--load-timeout", "0");
    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.errLines()[0].startsWith("error: --load-timeout"), run::toString);
    run = CliRun.of("evaluate", "--model", EvaluateCommandTest.FIXTURE.toString(), "--worker-memory", "100");
    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.errLines()[0].startsWith("error: --worker-memory"), run::toString);
  }
}
