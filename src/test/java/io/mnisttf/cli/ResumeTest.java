package io.mnisttf.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping after epoch 2 and resuming gives exactly the run that never stopped. */
class ResumeTest {
  @TempDir Path tmp;

  private CliRun train(String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("--json", "--runs-dir", tmp.resolve("runs").toString()));
    if (!List.of(extra).contains("--resume")) {
      args.addAll(List.of("--limit", "2000"));
    }
    args.addAll(List.of(extra));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.toString());
    return run;
  }

  @Test
  void resumingAfterEpochTwoGivesTheSameResultAsNotStopping() throws IOException {
    JsonObject straight = train("--epochs", "5", "--export-dir", tmp.resolve("a").toString()).json();
    train("--epochs", "2", "--checkpoint-dir", tmp.resolve("ck").toString(), "--no-export");
    CliRun resumed = train("--resume", tmp.resolve("ck").toString(), "--epochs", "5", "--export-dir",
        tmp.resolve("b").toString());
    JsonObject json = resumed.json();
    assertTrue(resumed.err().contains("Resumed from " + tmp.resolve("ck/epoch-0002") + " after epoch 2"),
        resumed.err());
    assertTrue(resumed.err().contains("Epoch 3/5") && !resumed.err().contains("Epoch 2/5"), resumed.err());
    for (String key : List.of("epochs_run", "best_epoch", "val_loss", "val_accuracy", "test_loss", "test_accuracy")) {
      assertEquals(straight.get(key), json.get(key), key);
    }
    assertArrayEquals(Files.readAllBytes(tmp.resolve("a/1/variables/variables.data-00000-of-00001")),
        Files.readAllBytes(tmp.resolve("b/1/variables/variables.data-00000-of-00001")), "bit-identical weights");
    Path runDir = Path.of(json.get("run_dir").getAsString());
    assertEquals(6, Files.readAllLines(runDir.resolve("history.csv")).size(), "header + all 5 epochs");
    assertTrue(Files.isDirectory(tmp.resolve("ck/epoch-0005")), "the resumed run keeps checkpointing");
  }

  @Test
  void resumeErrors() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    CliRun none = CliRun.of("--resume", empty.toString());
    assertEquals(1, none.exitCode());
    assertTrue(none.errLines()[0].startsWith("error: " + empty + ": no checkpoint found"), none.toString());

    train("--epochs", "1", "--checkpoint-dir", tmp.resolve("ck1").toString(), "--no-export");
    CliRun changed = CliRun.of("--resume", tmp.resolve("ck1").toString(), "--learning-rate", "0.1");
    assertEquals(2, changed.exitCode());
    assertTrue(changed.errLines()[0].contains("--learning-rate cannot be changed"), changed.toString());

    CliRun done = CliRun.of("--resume", tmp.resolve("ck1").toString(), "--epochs", "1");
    assertEquals(1, done.exitCode());
    assertTrue(done.errLines()[0].contains("already completed 1 of 1 epochs"), done.toString());
  }
}
