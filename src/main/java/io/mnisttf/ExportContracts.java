package io.mnisttf;

import io.mnisttf.data.Mnist;
import io.mnisttf.layout.ExportContract;
import io.mnisttf.export.SavedModelExporter;
import io.mnisttf.train.EpochMetrics;
import io.mnisttf.util.FileHashes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The export contract of a trained run: our exports' contract with the run's metrics and data files. */
final class ExportContracts {
  private ExportContracts() {}

  static ExportContract of(RunResult result, Path dataDir) throws IOException {
    EpochMetrics best = result.best();
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("test_accuracy", result.test().accuracy());
    metrics.put("test_loss", result.test().loss());
    metrics.put("val_loss", best.valLoss());
    metrics.put("val_accuracy", best.valAccuracy());
    metrics.put("loss", best.loss());
    metrics.put("accuracy", best.accuracy());
    metrics.put("best_epoch", (double) result.bestEpoch());
    metrics.put("epochs_run", (double) result.training().epochsRun());
    metrics.put("test_examples", (double) result.test().examples());
    Map<String, String> hashes = new LinkedHashMap<>();
    for (Path file : Mnist.files(dataDir)) {
      hashes.put(file.getFileName().toString(), FileHashes.sha256(file));
    }
    return SavedModelExporter.contract(metrics, hashes);
  }
}
