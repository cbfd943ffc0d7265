package io.mnisttf.savedmodel;

import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import io.mnisttf.data.MnistFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A SavedModel (ours or one made in Python) used as an MNIST digit classifier: give it images with pixels
 * in [0,1], get 10 float32 probabilities per image, whatever the model's input layout, size (28x28, or 32x32
 * zero-padded), type (float or integer, or serialized {@code tf.Example}s), pixel range, output type or output
 * kind.
 *
 * <pre>{@code
 * try (MnistClassifier model = MnistClassifier.open(Path.of("saved-models/mnist"))) {
 *   float[] probabilities = model.probabilities(pixels, count); // count * 10 values
 * }
 * }</pre>
 *
 * <p>Opening checks the model before loading it ({@link SavedModelPreflight}), loads it (which runs its
 * restore and init ops) and checks the loaded graph's input shape. Our exports carry their contract
 * ({@code assets.extra/mnist-tf-java.json}: input scale, softmax output), so they need no calibration; other
 * models are calibrated ({@link Calibration}) on training images: the sample bundled in the jar
 * ({@link CalibrationSample}), the training files of {@link ClassifierOptions#calibrationData()}, or the data
 * given. The classifier owns the loaded bundle: close it (closing twice is harmless). It is not thread-safe.
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
   * Checks, loads and (unless the export's contract makes it unneeded) calibrates the model in {@code dir} with
   * the default options: discovered signature, automatic scale, unsafe ops refused, the bundled calibration
   * sample. Needs no MNIST files.
   *
   * @param dir the SavedModel folder (or a Serving base folder: its highest version is used)
   * @throws UnsafeModelException when the model holds unknown ops, or unsafe ones
   * @throws SavedModelException for any other problem, with a one-line message naming the model
   */
  public static MnistClassifier open(Path dir) throws SavedModelException {
    return open(dir, ClassifierOptions.DEFAULTS);
  }

  /**
   * Checks, loads and, when needed, calibrates the model in {@code dir}: on the training files of
   * {@code options.calibrationData()} when set, else on the sample bundled in the jar.
   *
   * @param dir the SavedModel folder (or a Serving base folder: its highest version is used)
   * @param options tag set, signature or graph tensors, scale, unsafe-op policy, batch and calibration sizes
   * @throws UnsafeModelException when the model holds unknown ops, or unsafe ones not allowed
   * @throws SavedModelException for any other problem (calibration data that cannot be read included), with a
   *     one-line message naming the model or file
   */
  public static MnistClassifier open(Path dir, ClassifierOptions options) throws SavedModelException {
    return open(SavedModelPreflight.check(dir, options), options);
  }

  /** Loads and, when needed, calibrates a model that already passed {@link SavedModelPreflight#check}. */
  public static MnistClassifier open(CheckedModel model, ClassifierOptions options) throws SavedModelException {
    return open(model, options, model.contract() != null ? null : calibrationData(options));
  }

  /**
   * Checks, loads and calibrates the model in {@code dir}.
   *
   * @param dir the SavedModel folder (or a Serving base folder: its highest version is used)
   * @param options signature, scale, unsafe-op policy, batch and calibration sizes
   * @param training training images to calibrate on (a sample of {@code options.calibrationSamples()}); unused
   *     when the model carries our export contract
   * @throws UnsafeModelException when the model holds unknown ops, or unsafe ones not allowed
   * @throws SavedModelException for any other problem, with a one-line message naming the model
   */
  public static MnistClassifier open(Path dir, ClassifierOptions options, MnistData training)
      throws SavedModelException {
    return open(SavedModelPreflight.check(dir, options), options, training);
  }

  /**
   * Loads and calibrates a model that already passed {@link SavedModelPreflight#check}.
   *
   * @param training training images to calibrate on; may be {@code null} only when the model carries our
   *     export contract (then it is not used)
   */
  public static MnistClassifier open(CheckedModel model, ClassifierOptions options, MnistData training)
      throws SavedModelException {
    if (model.contract() == null) {
      Objects.requireNonNull(training, "training");
    }
    long start = System.nanoTime();
    ModelRunner runner = ModelRunner.load(model, options.batchSize());
    double loadSeconds = (System.nanoTime() - start) / 1e9;
    try {
      List<String> notes = new ArrayList<>(model.notes());
      Calibration calibration;
      if (model.contract() != null) {
        calibration = ContractSignature.calibration(model.dir(), model.contract(), options.inputScale());
      } else {
        MnistData sample = Calibrator.sample(training, options.calibrationSamples());
        Calibrator.Result calibrated = Calibrator.calibrate(runner, sample, options.inputScale(), model.dir());
        calibration = calibrated.calibration();
        notes.addAll(DegenerateOutputs.notes(calibrated.outputs(), sample.size()));
      }
      return new MnistClassifier(model, options, runner, calibration, loadSeconds, notes);
    } catch (SavedModelException | RuntimeException e) {
      runner.close();
      throw e;
    }
  }

  /** The training images to calibrate on: the options' folder, else the bundled sample. */
  static MnistData calibrationData(ClassifierOptions options) throws SavedModelException {
    if (options.calibrationData() == null) {
      return CalibrationSample.load();
    }
    Path dir = Path.of(options.calibrationData());
    try {
      return Mnist.loadTrain(dir);
    } catch (MnistFormatException e) {
      String m = e.getMessage();
      for (String prefix : List.of(dir + ": ", dir + java.io.File.separator)) {
        if (m.startsWith(prefix)) {
          m = m.substring(prefix.length());
          break;
        }
      }
      throw new SavedModelException(dir, "calibration data: " + m, e);
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
    return new ClassifierDescription(model.dir().toString(), model.tags(),
        model.scan().unsafe().stream().map(OpScan.Finding::describe).toList(), signature(),
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
