package io.mnisttf.savedmodel.internal.runtime;

import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import io.mnisttf.data.MnistFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import io.mnisttf.savedmodel.internal.preflight.CheckedModel;
import io.mnisttf.savedmodel.internal.preflight.OpScan;
import io.mnisttf.savedmodel.internal.preflight.SavedModelPreflight;
import io.mnisttf.savedmodel.internal.signature.ContractSignature;
import io.mnisttf.savedmodel.Calibration;
import io.mnisttf.savedmodel.ClassifierDescription;
import io.mnisttf.savedmodel.ClassifierOptions;
import io.mnisttf.savedmodel.DigitClassifier;
import io.mnisttf.savedmodel.ModelSignature;
import io.mnisttf.savedmodel.SavedModelException;

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
 * given. The classifier owns the loaded bundle: close it (closing twice is harmless). It is thread-safe: threads
 * may classify at once, each call with its own buffers, on the one session.
 */
public final class MnistClassifier implements DigitClassifier {
  private final CheckedModel model;
  private final ClassifierOptions options;
  private final LoadedModel loaded;
  private final ModelCall call;
  private final Calibration calibration;
  private final double loadSeconds;
  private final List<String> notes;

  private MnistClassifier(CheckedModel model, ClassifierOptions options, LoadedModel loaded, ModelCall call,
      Calibration calibration, double loadSeconds, List<String> notes) {
    this.model = model;
    this.options = options;
    this.loaded = loaded;
    this.call = call;
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
    LoadedModel loaded = LoadedModel.load(model);
    double loadSeconds = (System.nanoTime() - start) / 1e9;
    try {
      List<String> notes = new ArrayList<>(model.notes());
      ModelCall call = loaded.call(model.signature(), options.batchSize());
      Calibration calibration;
      if (model.contract() != null) {
        calibration = ContractSignature.calibration(model.dir(), model.contract(), options.inputScale());
      } else {
        MnistData sample = Calibrator.sample(training, options.calibrationSamples());
        Calibrator.Result calibrated = Calibrator.calibrate(call, sample, options.inputScale(), model.dir());
        if (calibrated.calibration().atChance()) {
          Candidate better = firstNotAtChance(loaded, model, options, sample);
          if (better != null) {
            String why = chanceLine(call.signature(), calibrated.calibration());
            if (model.selection().requested()) {
              throw new SavedModelException(model.dir(), why + ", while " + better.call().signature().called()
                  + " reaches " + accuracyText(better.calibrated().calibration()) + " on them: the outputs of the"
                  + " signature asked for cannot be read as digit scores");
            }
            notes.add(why + ", so its outputs are not digit scores; " + better.call().signature().called()
                + " is used instead (" + accuracyText(better.calibrated().calibration()) + ")");
            call = better.call();
            calibrated = better.calibrated();
          }
        }
        calibration = calibrated.calibration();
        notes.addAll(DegenerateOutputs.notes(calibrated.outputs(), sample.size()));
      }
      return new MnistClassifier(model, options, loaded, call, calibration, loadSeconds, notes);
    } catch (SavedModelException | RuntimeException e) {
      loaded.close();
      throw e;
    }
  }

  private record Candidate(ModelCall call, Calibrator.Result calibrated) {}

  /** The first of the model's other suitable signatures that classifies the sample better than chance. */
  private static Candidate firstNotAtChance(LoadedModel loaded, CheckedModel model, ClassifierOptions options,
      MnistData sample) {
    for (ModelSignature alternative : model.selection().alternatives()) {
      try {
        ModelCall call = loaded.call(alternative, options.batchSize());
        Calibrator.Result calibrated = Calibrator.calibrate(call, sample, options.inputScale(), model.dir());
        if (!calibrated.calibration().atChance()) {
          return new Candidate(call, calibrated);
        }
      } catch (SavedModelException e) {
        // this one cannot be called either: try the next
      }
    }
    return null;
  }

  /** {@code signature 'serving_default' classifies 1000 training images at chance (accuracy 0.0980)}. */
  private static String chanceLine(ModelSignature signature, Calibration c) {
    return String.format(Locale.ROOT, "%s classifies %d training images at chance (%s)", signature.called(),
        c.samples(), accuracyText(c));
  }

  private static String accuracyText(Calibration c) {
    return String.format(Locale.ROOT, "accuracy %.4f", c.accuracy());
  }

  /** The training images to calibrate on: the options' folder, else the bundled sample. */
  public static MnistData calibrationData(ClassifierOptions options) throws SavedModelException {
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
    return call.signature();
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
    float[] raw = new float[count * ClassScores.CLASSES];
    call.run(pixels, count, calibration.scale().multiplier(), raw);
    ClassScores.convert(calibration.outputKind(), raw, count, probabilities, logProbabilities);
  }

  /** Releases the model's session and graph once the calls under way have returned; later calls do nothing. */
  @Override
  public void close() {
    loaded.close();
  }
}
