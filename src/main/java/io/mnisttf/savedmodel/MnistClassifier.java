package io.mnisttf.savedmodel;

import io.mnisttf.data.MnistData;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A SavedModel (ours or one made in Python) used as an MNIST digit classifier: give it images with pixels
 * in [0,1], get 10 float32 probabilities per image, whatever the model's input layout, pixel range, output
 * type or output kind.
 *
 * <pre>{@code
 * MnistData train = Mnist.loadTrain(Mnist.DEFAULT_DIR);
 * try (MnistClassifier model = MnistClassifier.open(Path.of("saved-models/mnist/1"), ClassifierOptions.DEFAULTS, train)) {
 *   float[] probabilities = model.probabilities(pixels, count); // count * 10 values
 * }
 * }</pre>
 *
 * <p>Opening checks the model before loading it ({@link SavedModelPreflight}), loads it (which runs its
 * restore and init ops), checks the loaded graph's input shape, then calibrates on a sample of the
 * training images given ({@link Calibration}). The classifier owns the loaded bundle: close it (closing
 * twice is harmless). It is not thread-safe.
 */
public final class MnistClassifier implements DigitClassifier {
  private final CheckedModel model;
  private final ClassifierOptions options;
  private final ModelRunner runner;
  private final Calibration calibration;
  private final double loadSeconds;
  private final List<String> notes;
  private float[] raw = new float[0];

  private MnistClassifier(CheckedModel model, ClassifierOptions options, ModelRunner runner,
      Calibration calibration, double loadSeconds, List<String> notes) {
    this.model = model;
    this.options = options;
    this.runner = runner;
    this.calibration = calibration;
    this.loadSeconds = loadSeconds;
    this.notes = List.copyOf(notes);
  }

  /**
   * Checks, loads and calibrates the model in {@code dir}.
   *
   * @param dir the SavedModel folder (or a Serving base folder: its highest version is used)
   * @param options signature, scale, unsafe-op policy, batch and calibration sizes
   * @param training training images to calibrate on (a sample of {@code options.calibrationSamples()})
   * @throws UnsafeModelException when the model holds unknown ops, or unsafe ones not allowed
   * @throws SavedModelException for any other problem, with a one-line message naming the model
   */
  public static MnistClassifier open(Path dir, ClassifierOptions options, MnistData training)
      throws SavedModelException {
    return open(SavedModelPreflight.check(dir, options.signatureKey(), options.allowUnsafeOps()), options, training);
  }

  /** Loads and calibrates a model that already passed {@link SavedModelPreflight#check}. */
  public static MnistClassifier open(CheckedModel model, ClassifierOptions options, MnistData training)
      throws SavedModelException {
    Objects.requireNonNull(training, "training");
    long start = System.nanoTime();
    ModelRunner runner = ModelRunner.load(model, options.batchSize());
    double loadSeconds = (System.nanoTime() - start) / 1e9;
    try {
      MnistData sample = Calibrator.sample(training, options.calibrationSamples());
      Calibration calibration = Calibrator.calibrate(runner, sample, options.inputScale(), model.dir());
      List<String> notes = DegenerateOutputs.notes(runner, sample, calibration);
      return new MnistClassifier(model, options, runner, calibration, loadSeconds, notes);
    } catch (SavedModelException | RuntimeException e) {
      runner.close();
      throw e;
    }
  }

  /** The checked model: folder, parsed file, op scan, variables. */
  public CheckedModel model() {
    return model;
  }

  /** The signature called. */
  public ModelSignature signature() {
    return runner.signature();
  }

  /** The scale and output kind decided at opening. */
  public Calibration calibration() {
    return calibration;
  }

  @Override
  public ClassifierDescription description() {
    return new ClassifierDescription(model.dir().toString(), model.tags(), !model.scan().safe(), signature(),
        calibration, loadSeconds, notes);
  }

  @Override
  public int batchSize() {
    return options.batchSize();
  }

  /** The options the classifier was opened with. */
  public ClassifierOptions options() {
    return options;
  }

  /** Seconds TensorFlow took to load the model (restore and init ops included). */
  public double loadSeconds() {
    return loadSeconds;
  }

  @Override
  public void classify(float[] pixels, int count, float[] probabilities, float[] logProbabilities)
      throws SavedModelException {
    if (probabilities.length < (long) count * ClassScores.CLASSES
        || (logProbabilities != null && logProbabilities.length < (long) count * ClassScores.CLASSES)) {
      throw new IllegalArgumentException("output buffers too small for " + count + " images");
    }
    if (raw.length < count * ClassScores.CLASSES) {
      raw = new float[count * ClassScores.CLASSES];
    }
    runner.run(pixels, count, calibration.scale().multiplier(), raw);
    ClassScores.convert(calibration.outputKind(), raw, count, probabilities, logProbabilities);
  }

  /** Releases the model's session and graph; later calls do nothing. */
  @Override
  public void close() {
    runner.close();
  }
}
