package io.mnisttf.cli;

import io.mnisttf.RunOptions;
import io.mnisttf.data.Augmentation;
import io.mnisttf.data.DataConfig;
import io.mnisttf.data.Mnist;
import io.mnisttf.model.AdamConfig;
import io.mnisttf.model.ModelConfig;
import io.mnisttf.model.ModelConfig.Architecture;
import io.mnisttf.train.EarlyStopping;
import io.mnisttf.train.TrainConfig;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code train}'s options that shape the run: the data, the network and how it is trained. Their defaults are
 * the tutorial's MLP; with {@code --model cnn}, those that have none given take the CNN's
 * ({@link TrainConfig#CNN_DEFAULTS}, {@link ModelConfig#CNN_DEFAULTS}).
 */
final class TrainSettings {
  /** What a resumed run cannot change: everything here but the data folder and the epochs. */
  static final List<String> RESUME_FIXED_OPTIONS = List.of("--model", "--batch-size", "--hidden-units", "--filters",
      "--dropout", "--augment", "--threads", "--learning-rate", "--ema-momentum", "--validation-split",
      "--shuffle-buffer", "--patience", "--min-delta", "--seed", "--limit");

  @Option(names = "--data", paramLabel = "DIR", description = "Folder with the four MNIST IDX files.")
  Path data = Mnist.DEFAULT_DIR;

  @Option(names = "--model", paramLabel = "mlp|cnn",
      description = "The network: mlp, the tutorial's 784-50-50-10, or cnn, Keras' simple MNIST convnet (Conv 32 "
          + "3x3 - max-pool - Conv 64 3x3 - max-pool - dropout 0.5 - Dense 10), trained on augmented images.")
  Architecture model = Architecture.MLP;

  @Option(names = "--epochs", paramLabel = "N",
      description = "Maximum number of epochs (default: " + TrainConfig.EPOCHS_DEFAULT + "; cnn: "
          + TrainConfig.CNN_EPOCHS_DEFAULT + ").")
  Integer epochs;

  @Option(names = "--batch-size", paramLabel = "N", description = "Examples per training step.")
  int batchSize = TrainConfig.BATCH_SIZE_DEFAULT;

  @Option(names = "--hidden-units", paramLabel = "N,N", split = ",",
      description = "Width of each hidden dense layer (default: 50,50; cnn: none, 0 for none).")
  List<Integer> hiddenUnits;

  @Option(names = "--filters", paramLabel = "N,N", split = ",",
      description = "cnn: filters of each 3x3 convolution, each followed by a 2x2 max-pool (default: 32,64).")
  List<Integer> filters;

  @Option(names = "--dropout", paramLabel = "F",
      description = "cnn: share of the flattened features dropped in training (default: 0.5).")
  Double dropout;

  @Option(names = "--augment", negatable = true,
      description = "Vary the training images at random each epoch: shifts, sizes, stroke thickness, blur "
          + "(default: on for cnn, off for mlp).")
  Boolean augment;

  @Option(names = "--threads", paramLabel = "N",
      description = "TensorFlow threads per kernel (default: 1; cnn: 2). The same seed gives the same bits with "
          + "the same threads.")
  Integer threads;

  @Option(names = "--learning-rate", paramLabel = "LR", description = "Adam's learning rate.")
  float learningRate = AdamConfig.LEARNING_RATE_DEFAULT;

  @Option(names = "--ema-momentum", paramLabel = "M",
      description = "Keep a moving average of the weights with this momentum, and validate, keep and export the "
          + "average, as Keras' use_ema (default: 0, none; cnn: 0.999).")
  Float emaMomentum;

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
      description = "Seed of the validation split, the shuffle, the weight initialisation, augmentation and dropout.")
  long seed = TrainConfig.SEED_DEFAULT;

  @Option(names = "--limit", paramLabel = "N",
      description = "Use only the first N training examples (0: all), for quick runs.")
  int limit = 0;

  /** The run these options describe (outputs not set); a bad value is a usage error naming its option. */
  RunOptions runOptions(CommandSpec spec) {
    try {
      TrainConfig defaults = TrainConfig.defaults(model);
      int epochCount = epochs != null ? epochs : defaults.epochs();
      requirePositive(spec, "--epochs", epochCount);
      requirePositive(spec, "--batch-size", batchSize);
      requirePositive(spec, "--shuffle-buffer", shuffleBuffer);
      requirePositive(spec, "--patience", patience);
      if (limit < 0) {
        throw usage(spec, "--limit must be 0 (all) or a positive number, got " + limit);
      }
      if (!(validationSplit > 0 && validationSplit < 1)) {
        throw usage(spec, "--validation-split must be greater than 0 and less than 1, got " + validationSplit);
      }
      if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
        throw usage(spec, "--learning-rate must be a positive number, got " + learningRate);
      }
      if (emaMomentum != null && !(emaMomentum >= 0 && emaMomentum < 1)) {
        throw usage(spec, "--ema-momentum must be at least 0 (none) and less than 1, got " + emaMomentum);
      }
      if (!(minDelta >= 0)) {
        throw usage(spec, "--min-delta must be 0 or positive, got " + minDelta);
      }
      TrainConfig train = new TrainConfig(epochCount, batchSize, shuffleBuffer, seed, network(spec),
          AdamConfig.DEFAULTS.withLearningRate(learningRate)
              .withEmaMomentum(emaMomentum != null ? emaMomentum : defaults.adam().emaMomentum()),
          augmentation(defaults), threads != null ? threads : defaults.threads());
      return new RunOptions(new DataConfig(data, validationSplit, seed, limit), train,
          new EarlyStopping.Config(EarlyStopping.Config.MONITOR_DEFAULT, minDelta, patience, true),
          null, null, null);
    } catch (IllegalArgumentException e) {
      throw usage(spec, e.getMessage());
    }
  }

  private ModelConfig network(CommandSpec spec) {
    ModelConfig config = ModelConfig.defaults(model);
    if (hiddenUnits != null) {
      List<Integer> units = hiddenUnits.equals(List.of(0)) && model == Architecture.CNN ? List.of() : hiddenUnits;
      for (int u : units) {
        requirePositive(spec, "--hidden-units", u);
      }
      config = config.withHiddenUnits(units);
    }
    if (model == Architecture.MLP && (filters != null || dropout != null)) {
      throw usage(spec, (filters != null ? "--filters" : "--dropout") + " applies to --model cnn only");
    }
    if (filters != null) {
      for (int f : filters) {
        requirePositive(spec, "--filters", f);
      }
      config = config.withConvFilters(filters);
    }
    if (dropout != null) {
      if (!(dropout >= 0 && dropout < 1)) {
        throw usage(spec, "--dropout must be at least 0 and less than 1, got " + dropout);
      }
      config = config.withDropout(dropout);
    }
    return config;
  }

  private Augmentation augmentation(TrainConfig defaults) {
    if (augment == null) {
      return defaults.augmentation();
    }
    return augment ? Augmentation.DEFAULTS : Augmentation.NONE;
  }

  private static void requirePositive(CommandSpec spec, String option, long value) {
    if (value < 1) {
      throw usage(spec, option + " must be a positive integer, got " + value);
    }
  }

  private static ParameterException usage(CommandSpec spec, String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
