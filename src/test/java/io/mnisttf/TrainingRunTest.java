package io.mnisttf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.mnisttf.data.DataConfig;
import io.mnisttf.data.Mnist;
import io.mnisttf.layout.ExportContract;
import io.mnisttf.model.AdamConfig;
import io.mnisttf.train.TrainConfig;
import io.mnisttf.util.FileHashes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRunTest {
  @TempDir Path tmp;

  private RunOptions small(int epochs) {
    return RunOptions.DEFAULTS.withData(new DataConfig(Mnist.DEFAULT_DIR, 0.1, 42, 2_000))
        .withTrain(TrainConfig.DEFAULTS.withEpochs(epochs)).withRunsDir(tmp.resolve("runs"));
  }

  @Test
  void fitsEvaluatesRecordsAndExportsWithTheContract() throws Exception {
    try (TrainingRun run = TrainingRun.start(small(2))) {
      assertThrows(IllegalStateException.class, () -> run.exportSavedModel(tmp.resolve("early")),
          "nothing to export before fit");
      assertEquals(1_800, run.startup().trainExamples());
      assertEquals(200, run.startup().validationExamples());
      RunResult result = run.fit(List.of());
      assertTrue(result.trained());
      assertEquals(2, result.history().size());
      assertEquals(10_000, result.test().examples());
      assertTrue(result.test().accuracy() > 0.7, result.toString());
      assertEquals(result.test().accuracy(), run.evaluate(run.data().test()).accuracy(), 1e-12,
          "the run holds the weights it evaluated");

      Path exported = run.exportSavedModel(tmp.resolve("models"));
      assertEquals(tmp.resolve("models/1"), exported);
      ExportContract contract = ExportContract.read(exported).orElseThrow();
      assertEquals("serving_default", contract.signature());
      assertEquals("images", contract.input());
      assertEquals("unit", contract.inputScale());
      assertEquals("probabilities", contract.probabilities());
      assertEquals("classes", contract.classes());
      assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), contract.classNames());
      assertEquals(result.test().accuracy(), contract.metrics().get("test_accuracy"));
      assertEquals(result.test().loss(), contract.metrics().get("test_loss"));
      assertEquals(result.best().valLoss(), contract.metrics().get("val_loss"));
      assertEquals(result.best().valAccuracy(), contract.metrics().get("val_accuracy"));
      assertEquals(result.bestEpoch(), contract.metrics().get("best_epoch"));
      assertEquals(2.0, contract.metrics().get("epochs_run"));
      assertEquals(4, contract.dataSha256().size());
      for (Path file : Mnist.files(Mnist.DEFAULT_DIR)) {
        assertEquals(FileHashes.sha256(file), contract.dataSha256().get(file.getFileName().toString()));
      }
      assertTrue(contract.producer().startsWith("mnist-tf-java "), contract.producer());

      JsonObject metrics = JsonParser.parseString(Files.readString(result.runDir().resolve("metrics.json")))
          .getAsJsonObject();
      assertEquals(exported.toAbsolutePath().toString(), metrics.get("export_dir").getAsString());
      assertTrue(Files.isRegularFile(result.runDir().resolve("training-curves.png")));
      assertThrows(IllegalStateException.class, () -> run.fit(List.of()), "a run is fitted once");
    }
  }

  @Test
  void aDivergedRunIsNotEvaluatedNorExportable() throws Exception {
    RunOptions exploding = small(3).withTrain(TrainConfig.DEFAULTS.withEpochs(3)
        .withAdam(AdamConfig.DEFAULTS.withLearningRate(1e10f)));
    try (TrainingRun run = TrainingRun.start(exploding)) {
      RunResult result = run.fit(List.of());
      assertTrue(result.training().diverged());
      assertFalse(result.trained());
      assertNull(result.test());
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> run.exportSavedModel(tmp.resolve("models")));
      assertTrue(e.getMessage().startsWith("training diverged (training loss is nan at epoch 1, step "),
          e.getMessage());
      assertFalse(Files.exists(tmp.resolve("models")));
    }
  }
}
