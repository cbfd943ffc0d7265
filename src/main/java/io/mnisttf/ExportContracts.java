package io.mnisttf;

import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import io.mnisttf.export.ExportContract;
import io.mnisttf.export.InferenceGraph;
import io.mnisttf.train.EpochMetrics;
import io.mnisttf.util.FileHashes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.tensorflow.Signature;
import org.tensorflow.TensorFlow;

/** The export contract of a trained run: how to call the model, how it did, what it was trained on. */
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
    List<String> classNames = IntStream.range(0, MnistData.CLASSES).mapToObj(Integer::toString).toList();
    return new ExportContract(ExportContract.VERSION, Signature.DEFAULT_KEY, InferenceGraph.INPUT_KEY, "unit",
        InferenceGraph.PROBABILITIES_KEY, InferenceGraph.CLASSES_KEY, classNames, metrics, hashes, producer());
  }

  /** {@code mnist-tf-java <version> (TensorFlow <runtime>)}. */
  static String producer() {
    String own = TrainingRun.class.getPackage().getImplementationVersion();
    return "mnist-tf-java " + (own == null ? "development build" : own) + " (TensorFlow " + TensorFlow.version()
        + ")";
  }
}
