package io.mnisttf.cli;

import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import io.mnisttf.plots.ConfusionMatrixChart;
import io.mnisttf.plots.MisclassifiedGrid;
import io.mnisttf.savedmodel.Calibration;
import io.mnisttf.savedmodel.Classifier;
import io.mnisttf.savedmodel.ClassifierDescription;
import io.mnisttf.savedmodel.ClassifierOptions;
import io.mnisttf.savedmodel.Evaluation;
import io.mnisttf.savedmodel.ModelSignature;
import io.mnisttf.util.BackgroundTask;
import java.io.IOException;
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

/**
 * {@code evaluate}: scores any MNIST SavedModel (ours or one trained in Python) on the 10 000 test images, or on
 * the user's own labelled images ({@code --images}), after checking it without loading it and discovering its
 * signature, input layout, pixel scale and output kind.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
    description = "Evaluate an MNIST SavedModel (ours or one made in Python) on the 10 000 test images:"
        + " loss, accuracy and confusion matrix. With --images, on your own labelled digit images instead.")
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ModelOptions modelOptions;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Folder with MNIST's test files (t10k-images/labels-idx*-ubyte[.gz]).")
  Path data = Mnist.DEFAULT_DIR;

  @Option(names = "--images", paramLabel = "DIR",
      description = "Evaluate on your own labelled images instead of the test set: DIR/0/*.png ... DIR/9/*.png"
          + " (PNG or JPEG; the layout of torchvision's ImageFolder), each converted as predict converts it.")
  Path images;

  @Option(names = "--plots", paramLabel = "DIR",
      description = "Also write a confusion-matrix heatmap and a grid of the most confidently misclassified"
          + " digits as PNGs into DIR.")
  Path plots;

  @Option(names = "--predictions", paramLabel = "FILE",
      description = "Also write every image's label, predicted class and 10 probabilities to FILE as CSV (with"
          + " --images, index is the image's place in digit then file-name order).")
  Path predictions;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    if (images != null && spec.commandLine().getParseResult().hasMatchedOption("--data")) {
      throw new ParameterException(spec.commandLine(), "give --images or --data, not both");
    }
    ClassifierOptions options = modelOptions.classifierOptions(spec.commandLine(), common);
    // The worker checks, loads and calibrates the model while this process reads the images: this
    // process never loads TensorFlow, and never parses the stranger's model either.
    try (BackgroundTask<Classifier> opening = modelOptions.startOpening(options)) {
      EvaluationSet set = images == null ? EvaluationSet.test(data) : EvaluationSet.images(images);
      try (Classifier classifier = ModelOptions.opened(opening, spec.commandLine().getErr())) {
        report(classifier, set);
      }
    }
    return 0;
  }

  private void report(Classifier classifier, EvaluationSet set) throws IOException {
    PrintWriter log = common.json ? spec.commandLine().getErr() : spec.commandLine().getOut();
    ClassifierDescription description = classifier.description();
    printHeader(log, description);
    Evaluation e = set.evaluate(classifier);
    printResult(log, description, e, set);
    List<FileMistake> mistakes = FileMistake.of(set, e);
    FileMistake.print(log, mistakes);
    List<String> written = plots == null ? List.of() : writePlots(description, e, set.asMnist());
    if (predictions != null) {
      e.writePredictionsCsv(predictions);
      log.println("Predictions: " + predictions);
      log.flush();
    }
    if (!written.isEmpty()) {
      log.println("Plots: " + String.join(", ", written));
      log.flush();
    }
    if (common.json) {
      PrintWriter out = spec.commandLine().getOut();
      out.println(Json.line(summary(description, e, written, predictions, images, mistakes)));
      out.flush();
    }
  }

  private static void printHeader(PrintWriter log, ClassifierDescription c) {
    ModelSignature s = c.signature();
    Calibration cal = c.calibration();
    log.printf(Locale.ROOT, "Model:     %s (tag-set '%s'; %s)%n", c.model(), String.join(",", c.tags()),
        c.unsafeOpsAllowed() ? "UNSAFE OPS ALLOWED" : "no unsafe ops");
    log.printf(Locale.ROOT, "Signature: %s (%s)%n", s.key(), s.methodName().isEmpty() ? "no method name" : s.methodName());
    log.printf(Locale.ROOT, "Input:     %s %s %s, fed as %s%s%n", s.input().key(), s.input().dtype(),
        s.input().shapeText(), s.describeFeed(),
        s.fixedBatch() > 0 ? " in batches of exactly " + s.fixedBatch() : "");
    log.printf(Locale.ROOT, "Scale:     %s %s (%s)%n", cal.scale().label(), cal.scale().range(), cal.scaleReason());
    log.printf(Locale.ROOT, "Output:    %s %s %s%s: %s (%s)%n", s.output().key(), s.output().dtype(),
        s.output().shapeText(), s.classLabels() == null ? ""
            : ", put in class order by the labels of " + s.classLabels().describe(),
        cal.outputKind().label(), cal.outputKindReason());
    for (String note : c.notes()) {
      log.println("Note:      " + note);
    }
    log.flush();
  }

  private static void printResult(PrintWriter log, ClassifierDescription c, Evaluation e, EvaluationSet set) {
    String calibrated = c.calibration().samples() == 0 ? "not calibrated"
        : String.format(Locale.ROOT, "calibrated in %.2fs", c.calibration().seconds());
    log.printf(Locale.ROOT, "Loaded in %.2fs, %s; evaluated %d %s in %.3fs (%.0f images/s)%n",
        c.loadSeconds(), calibrated, e.examples(), set.description(), e.seconds(), e.imagesPerSecond());
    log.printf(Locale.ROOT, "%s: loss %.4f - accuracy %.4f (%d/%d)%n", set.name(), e.loss(), e.accuracy(),
        e.examples() - e.errors(), e.examples());
    log.println("Confusion matrix (rows: true digit, columns: predicted digit):");
    StringBuilder head = new StringBuilder("      ");
    for (int p = 0; p < e.confusion().length; p++) {
      head.append(String.format(Locale.ROOT, "%6d", p));
    }
    log.println(head);
    for (int t = 0; t < e.confusion().length; t++) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%6d", t));
      for (int count : e.confusion()[t]) {
        row.append(String.format(Locale.ROOT, "%6d", count));
      }
      log.println(row);
    }
    log.flush();
  }

  private List<String> writePlots(ClassifierDescription c, Evaluation e, MnistData shown) throws IOException {
    Path heatmap = plots.resolve(ConfusionMatrixChart.FILE_NAME);
    Path grid = plots.resolve(MisclassifiedGrid.FILE_NAME);
    ConfusionMatrixChart.write(heatmap, e.confusion(), c.model());
    MisclassifiedGrid.write(grid, shown, e.predicted(), e.confidence());
    return List.of(heatmap.toString(), grid.toString());
  }

  static EvaluateSummary summary(ClassifierDescription c, Evaluation e, List<String> plotFiles, Path predictions,
      Path images, List<FileMistake> mistakes) {
    ModelSignature s = c.signature();
    return new EvaluateSummary(c.model(), c.tags(), s.key(), s.input().key(), s.input().dims(), s.describeFeed(),
        c.calibration().scale().label(), c.calibration().scaleReason(), s.output().key(),
        c.calibration().outputKind().label(), c.calibration().samples(), images == null ? null : images.toString(),
        e.examples(), e.loss(), e.accuracy(), e.confusion(), images == null ? null : mistakes, c.loadSeconds(),
        c.calibration().seconds(), e.seconds(), plotFiles, predictions == null ? null : predictions.toString(),
        c.notes());
  }

  /** The JSON line's fields (snake_case in the output). */
  record EvaluateSummary(String model, List<String> tags, String signature, String inputKey, long[] inputShape,
      String inputFed, String inputScale, String inputScaleReason, String outputKey, String outputKind,
      int calibrationSamples, String images, int examples, double loss, double accuracy, int[][] confusionMatrix,
      List<FileMistake> misclassified, double loadSeconds, double calibrationSeconds, double evalSeconds, List<String> plots, String predictions,
      List<String> notes) {}
}
