package io.mnisttf.cli;

import io.mnisttf.data.DataConfig;
import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import io.mnisttf.export.SavedModelExporter;
import io.mnisttf.model.AdamConfig;
import io.mnisttf.model.ModelConfig;
import io.mnisttf.train.EarlyStopping;
import io.mnisttf.train.Metrics;
import io.mnisttf.train.TrainConfig;
import io.mnisttf.train.Trainer;
import io.mnisttf.train.TrainingListener;
import io.mnisttf.train.TrainingResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code train}: the tutorial's training run, with its hyper-parameters as options. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Train the tutorial's network on MNIST, report validation and test metrics.",
    showDefaultValues = true)
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data", paramLabel = "DIR", description = "Folder with the four MNIST IDX files.")
  Path data = Mnist.DEFAULT_DIR;

  @Option(names = "--epochs", paramLabel = "N", description = "Maximum number of epochs.")
  int epochs = TrainConfig.EPOCHS_DEFAULT;

  @Option(names = "--batch-size", paramLabel = "N", description = "Examples per training step.")
  int batchSize = TrainConfig.BATCH_SIZE_DEFAULT;

  @Option(names = "--hidden-units", paramLabel = "N,N", split = ",",
      description = "Width of each hidden layer.")
  List<Integer> hiddenUnits = ModelConfig.HIDDEN_UNITS_DEFAULT;

  @Option(names = "--learning-rate", paramLabel = "LR", description = "Adam's learning rate.")
  float learningRate = AdamConfig.LEARNING_RATE_DEFAULT;

  @Option(names = "--validation-split", paramLabel = "F",
      description = "Share of the training examples held out for validation.")
  double validationSplit = DataConfig.VALIDATION_FRACTION_DEFAULT;

  @Option(names = "--shuffle-buffer", paramLabel = "N", description = "Shuffle buffer size (tf.data semantics).")
  int shuffleBuffer = TrainConfig.SHUFFLE_BUFFER_DEFAULT;

  @Option(names = "--patience", paramLabel = "N",
      description = "Early stopping: epochs without val_loss improvement before stopping.")
  int patience = EarlyStopping.Config.PATIENCE_DEFAULT;

  @Option(names = "--min-delta", paramLabel = "D",
      description = "Early stopping: smallest val_loss decrease that counts as an improvement.")
  double minDelta = 0.0;

  @Option(names = "--seed", paramLabel = "N",
      description = "Seed of the validation split, the shuffle and the weight initialisation.")
  long seed = TrainConfig.SEED_DEFAULT;

  @Option(names = "--limit", paramLabel = "N",
      description = "Use only the first N training examples (0: all), for quick runs.")
  int limit = 0;

  @Option(names = "--export-dir", paramLabel = "DIR",
      description = "Export the trained model as a SavedModel into the next numbered version folder here "
          + "(TensorFlow Serving's layout).")
  Path exportDir = Path.of("saved-models", "mnist");

  @Option(names = "--no-export", description = "Do not export a SavedModel.")
  boolean noExport;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    DataConfig dataConfig;
    TrainConfig trainConfig;
    EarlyStopping.Config stopConfig;
    try {
      requirePositive("--epochs", epochs);
      requirePositive("--batch-size", batchSize);
      requirePositive("--shuffle-buffer", shuffleBuffer);
      requirePositive("--patience", patience);
      if (limit < 0) {
        throw usage("--limit must be 0 (all) or a positive number, got " + limit);
      }
      for (int units : hiddenUnits) {
        requirePositive("--hidden-units", units);
      }
      if (!(validationSplit > 0 && validationSplit < 1)) {
        throw usage("--validation-split must be greater than 0 and less than 1, got " + validationSplit);
      }
      if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
        throw usage("--learning-rate must be a positive number, got " + learningRate);
      }
      if (!(minDelta >= 0)) {
        throw usage("--min-delta must be 0 or positive, got " + minDelta);
      }
      dataConfig = new DataConfig(data, validationSplit, seed, limit);
      trainConfig = new TrainConfig(epochs, batchSize, shuffleBuffer, seed, new ModelConfig(hiddenUnits),
          AdamConfig.DEFAULTS.withLearningRate(learningRate));
      stopConfig = new EarlyStopping.Config(EarlyStopping.Config.MONITOR_DEFAULT, minDelta, patience, true);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }

    PrintWriter log = common.json ? spec.commandLine().getErr() : spec.commandLine().getOut();
    long loadStart = System.nanoTime();
    Mnist mnist = Mnist.load(dataConfig.dataDir());
    MnistData pool = limit > 0 ? mnist.train().first(limit) : mnist.train();
    if (pool.size() < 2) {
      throw new IllegalArgumentException("--limit " + limit + " leaves " + pool.size()
          + " training example(s); at least 2 are needed for a training and a validation part");
    }
    MnistData.Split split = pool.split(dataConfig.validationCount(pool.size()), dataConfig.seed());
    log.printf(Locale.ROOT, "Loaded MNIST from %s in %.2fs: %d training, %d validation, %d test examples%n",
        data, (System.nanoTime() - loadStart) / 1e9, split.train().size(), split.validation().size(),
        mnist.test().size());
    log.flush();

    EarlyStopping earlyStopping = new EarlyStopping(stopConfig);
    List<TrainingListener> listeners = List.of(new EpochLogger(log), earlyStopping);
    try (Trainer trainer = new Trainer(trainConfig)) {
      TrainingResult result = trainer.fit(split.train(), split.validation(), listeners);
      if (result.stoppedEarly()) {
        log.println("Early stopping: " + result.stopReason());
      }
      if (earlyStopping.bestEpoch() > 0) {
        log.printf(Locale.ROOT, "Restored the weights of epoch %d (best val_loss %.4f)%n",
            earlyStopping.bestEpoch(), earlyStopping.state().best());
      }
      Metrics test = trainer.evaluate(mnist.test());
      log.printf(Locale.ROOT, "Test: loss %.4f - accuracy %.4f (%d examples)%n", test.loss(), test.accuracy(),
          test.examples());
      log.printf(Locale.ROOT, "Trained %d epoch(s) in %.2fs, %.0f samples/s%n", result.epochsRun(),
          result.trainSeconds(), result.samplesPerSecond());
      Path exported = null;
      if (!noExport) {
        exported = SavedModelExporter.export(trainConfig.model(), trainer::saveCheckpoint, exportDir);
        log.println("Exported SavedModel: " + exported);
      }
      log.flush();
      if (common.json) {
        var bestEpoch = result.epochs().get(Math.max(0, earlyStopping.bestEpoch() - 1));
        PrintWriter out = spec.commandLine().getOut();
        out.println(Json.line(new TrainSummary(result.epochsRun(), result.stoppedEarly(), earlyStopping.bestEpoch(),
            bestEpoch.valLoss(), bestEpoch.valAccuracy(), test.loss(), test.accuracy(), result.trainSeconds(),
            result.samplesPerSecond(), exported == null ? null : exported.toString())));
        out.flush();
      }
    }
    return 0;
  }

  /** The JSON summary's fields (snake_case in the output). */
  record TrainSummary(int epochsRun, boolean stoppedEarly, int bestEpoch, double valLoss, double valAccuracy,
      double testLoss, double testAccuracy, double trainSeconds, double samplesPerSecond, String exportDir) {}

  private void requirePositive(String option, long value) {
    if (value < 1) {
      throw usage(option + " must be a positive integer, got " + value);
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
