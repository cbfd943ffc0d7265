package io.mnisttf.savedmodel.internal.runtime;

import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import io.mnisttf.data.MnistFormatException;
import io.mnisttf.savedmodel.Calibration;
import io.mnisttf.savedmodel.Classifier;
import io.mnisttf.savedmodel.ClassifierDescription;
import io.mnisttf.savedmodel.ClassifierOptions;
import io.mnisttf.savedmodel.ModelSignature;
import io.mnisttf.savedmodel.OpScan;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.internal.preflight.CheckedModel;
import io.mnisttf.savedmodel.internal.preflight.PreloadReport;
import io.mnisttf.savedmodel.internal.signature.ContractSignature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A {@link Classifier} whose model runs in this process (what the worker process runs, too): opening reads the
 * pre-load report and refuses the model on its first finding, loads it (which runs its restore and init ops),
 * checks the loaded graph against the signature, and calibrates it unless it carries our export contract
 * ({@code assets.extra/mnist-tf-java.json}: input scale, softmax output): on the training files of
 * {@link ClassifierOptions#calibrationData()}, else the sample bundled in the jar ({@link CalibrationSample}). A
 * discovered signature that classifies the sample at chance gives way to one that does not. Thread-safe: threads
 * classify at once, each call with its own buffers, on the one session; close waits for the calls under way.
 */
public final class InProcessClassifier implements Classifier {
  private final CheckedModel model;
  private final ClassifierOptions options;
  private final LoadedModel loaded;
  private final ModelCall call;
  private final Calibration calibration;
  private final double loadSeconds;
  private final List<String> notes;

  private InProcessClassifier(CheckedModel model, ClassifierOptions options, LoadedModel loaded, ModelCall call,
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
   * Checks, loads and, when needed, calibrates the model in {@code dir}: on the training files of
   * {@code options.calibrationData()} when set, else on the sample bundled in the jar.
   *
   * @param dir the SavedModel folder (or a Serving base folder: the version Serving serves)
   * @throws SavedModelException when the model cannot be used (calibration data that cannot be read included)
   */
  public static InProcessClassifier open(Path dir, ClassifierOptions options) throws SavedModelException {
    CheckedModel model = PreloadReport.of(dir, options).requireLoadable();
    return open(model, options, model.contract() != null ? null : calibrationData(options));
  }

  /**
   * As {@link #open(Path, ClassifierOptions)}, calibrating on {@code training} (a sample of
   * {@code options.calibrationSamples()} of it; unused when the model carries our export contract).
   */
  public static InProcessClassifier open(Path dir, ClassifierOptions options, MnistData training)
      throws SavedModelException {
    return open(PreloadReport.of(dir, options).requireLoadable(), options, training);
  }

  private static InProcessClassifier open(CheckedModel model, ClassifierOptions options, MnistData training)
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
              throw new SavedModelException(model.dir(), SavedModelException.Kind.NOT_A_CLASSIFIER, why + ", while " + better.call().signature().called()
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
      return new InProcessClassifier(model, options, loaded, call, calibration, loadSeconds, notes);
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
      throw new SavedModelException(e.path(), SavedModelException.Kind.INCONSISTENT, "calibration data: "
          + e.problem(), e);
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
