package io.mnisttf.cli;

import io.mnisttf.predict.ClassScore;
import io.mnisttf.predict.DigitImage;
import io.mnisttf.savedmodel.ClassifierOptions;
import io.mnisttf.savedmodel.Classification;
import io.mnisttf.savedmodel.Classifier;
import io.mnisttf.savedmodel.ClassifierDescription;
import io.mnisttf.savedmodel.ClassifierOptions;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.util.BackgroundTask;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code predict}: classifies the user's own digit images (PNG or JPEG, any size, either polarity) with any
 * MNIST SavedModel, after converting each to MNIST's convention.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
    description = {"Classify your own digit images (PNG or JPEG, any size, either polarity) with an MNIST SavedModel.",
        "Each image is converted as MNIST's digits were: grayscale, light digit on dark, the digit's bounding",
        "box scaled into 20x20 and centred by centre of mass in 28x28."})
final class PredictCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ModelOptions modelOptions;

  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "PNG or JPEG files.")
  List<Path> images;

  @Option(names = "--top", paramLabel = "K", description = "How many classes to show per image.")
  int top = 3;

  @Option(names = "--data", paramLabel = "DIR",
      description = "MNIST folder whose training images calibrate a foreign model's input scale and output kind"
          + " (default: the " + ClassifierOptions.CALIBRATION_SAMPLES_DEFAULT + " training images bundled in the jar; our exports need no"
          + " calibration).")
  Path data;

  @Mixin CommonOptions common;

  /** One image's result. */
  record Prediction(String image, int width, int height, boolean inverted, List<ClassScore> top) {}

  /** The JSON line (snake_case). */
  record PredictSummary(String model, String signature, String inputScale, String outputKind,
      List<Prediction> predictions, List<String> notes) {}

  @Override
  public Integer call() throws Exception {
    if (top < 1 || top > 10) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--top must be 1 to 10, got " + top);
    }
    // Read every image first: a bad file fails before the model is loaded.
    List<DigitImage> digits = new ArrayList<>();
    for (Path image : images) {
      digits.add(DigitImage.load(image));
    }
    ClassifierOptions options = modelOptions.classifierOptions(spec.commandLine(), common)
        .withCalibrationData(data == null ? null : data.toString());
    PredictSummary summary;
    try (BackgroundTask<Classifier> opening = modelOptions.startOpening(options);
        Classifier classifier = ModelOptions.opened(opening, spec.commandLine().getErr())) {
      summary = classify(classifier, digits);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (common.json) {
      out.println(Json.line(summary));
    } else {
      for (Prediction p : summary.predictions()) {
        out.println(format(p));
      }
    }
    out.flush();
    return 0;
  }

  private PredictSummary classify(Classifier classifier, List<DigitImage> digits) throws SavedModelException {
    List<Prediction> predictions = new ArrayList<>();
    List<Classification> classified = classifier.classifyAll(digits);
    for (int i = 0; i < digits.size(); i++) {
      DigitImage d = digits.get(i);
      predictions.add(new Prediction(d.source().toString(), d.width(), d.height(), d.inverted(),
          classified.get(i).top(top)));
    }
    ClassifierDescription d = classifier.description();
    PrintWriter err = spec.commandLine().getErr();
    for (String note : d.notes()) {
      err.println("note: " + note);
    }
    err.flush();
    return new PredictSummary(d.model(), d.signature().key(), d.calibration().scale().label(),
        d.calibration().outputKind().label(), predictions, d.notes());
  }

  static String format(Prediction p) {
    String scores = p.top().stream()
        .map(s -> String.format(Locale.ROOT, "%d (%.3f)", s.digit(), s.probability()))
        .collect(Collectors.joining(", "));
    return String.format(Locale.ROOT, "%s: %s   [%dx%d, %s]", p.image(), scores, p.width(), p.height(),
        p.inverted() ? "dark on light, inverted" : "light on dark");
  }
}
