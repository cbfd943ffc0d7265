package io.mnisttf.compat.live;

import io.mnisttf.compat.TfRuntime;
import io.mnisttf.data.MnistData;
import io.mnisttf.savedmodel.ModelSignature;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.internal.format.SavedModelFile;
import io.mnisttf.savedmodel.internal.format.SavedModelReader;
import io.mnisttf.savedmodel.internal.signature.SignatureSelector;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Loads one SavedModel in every runtime of {@link TfRuntime#ALL}, each in its own JVM ({@link ProbeProcess}),
 * runs the signature {@code evaluate} would use ({@code serving_default} for MNIST models) on the test images,
 * and compares every runtime's outputs with those of the current one (TensorFlow 2.18).
 *
 * @param runtimes the folder with one jar folder per runtime ({@code tf-2.18/}, ...)
 * @param work a folder for the images file, the outputs and the probes' logs
 * @param test the test images and labels
 */
record LiveCheck(Path runtimes, Path work, MnistData test) {
  /** Largest absolute output difference against TensorFlow 2.18 that passes. */
  static final double TOLERANCE = 1e-5;

  /**
   * One runtime's result.
   *
   * @param version the runtime's TensorFlow version
   * @param error {@code null} when it loaded and ran the model, else the probe's {@code load: ...},
   *     {@code run: ...} or {@code crash: ...} message
   * @param accuracy share of the test images classified right (NaN when not loaded)
   * @param maxDifference largest absolute probability difference against TensorFlow 2.18 (NaN when either
   *     failed); logits are compared after a softmax
   * @param sameClasses whether every predicted class equals TensorFlow 2.18's
   * @param unknownAttrLogged whether the load logged TensorFlow's "unknown attribute" warning
   */
  record Result(String version, String error, double accuracy, double maxDifference, boolean sameClasses,
      boolean unknownAttrLogged) {
    boolean loaded() {
      return error == null;
    }

    /** Loaded, and within {@link #TOLERANCE} of TensorFlow 2.18 with the same classes. */
    boolean passes() {
      return loaded() && maxDifference <= TOLERANCE && sameClasses;
    }
  }

  /** The results for the model in {@code dir}, oldest runtime first. */
  List<Result> check(String name, Path dir) throws IOException, InterruptedException, SavedModelException {
    SavedModelFile file = SavedModelReader.read(dir);
    ModelSignature signature = SignatureSelector.select(file.dir(), file.servingMetaGraph(), null);
    long[] dims = signature.layout().shape(1);
    String exampleDims = Arrays.stream(dims, 1, dims.length).mapToObj(Long::toString).collect(Collectors.joining(","));
    Path images = imagesFile();
    Path modelWork = work.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_"));
    Files.createDirectories(modelWork);
    float[][] outputs = new float[TfRuntime.ALL.size()][];
    String[] errors = new String[TfRuntime.ALL.size()];
    boolean[] logged = new boolean[TfRuntime.ALL.size()];
    for (int i = TfRuntime.ALL.size() - 1; i >= 0; i--) {
      TfRuntime runtime = TfRuntime.ALL.get(i);
      Path out = modelWork.resolve(runtime.folderName() + ".f32");
      Files.deleteIfExists(out);
      ProbeProcess.Outcome outcome = new ProbeProcess(runtimes.resolve(runtime.folderName())).run(
          modelWork.resolve(runtime.folderName()), "run", file.dir().toAbsolutePath().toString(),
          signature.input().name(), exampleDims, signature.output().name(), Integer.toString(MnistData.CLASSES),
          images.toString(), Integer.toString(test.size()), out.toString());
      String status = outcome.status();
      logged[i] = outcome.stderr().contains("Unknown attributes will be ignored")
          || outcome.stderr().contains("which is not in the op definition");
      if (status.startsWith("ok ")) {
        outputs[i] = readFloats(out);
      } else {
        errors[i] = status.substring("error ".length());
      }
    }
    toProbabilities(outputs);
    float[] reference = outputs[TfRuntime.ALL.size() - 1];
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < TfRuntime.ALL.size(); i++) {
      String version = TfRuntime.ALL.get(i).version();
      if (outputs[i] == null) {
        results.add(new Result(version, errors[i], Double.NaN, Double.NaN, false, logged[i]));
        continue;
      }
      int[] classes = argmax(outputs[i]);
      int correct = 0;
      for (int k = 0; k < classes.length; k++) {
        correct += classes[k] == test.label(k) ? 1 : 0;
      }
      double diff = Double.NaN;
      boolean same = false;
      if (reference != null) {
        diff = 0;
        for (int k = 0; k < reference.length; k++) {
          diff = Math.max(diff, Math.abs(reference[k] - outputs[i][k]));
        }
        same = Arrays.equals(classes, argmax(reference));
      }
      results.add(new Result(version, null, correct / (double) classes.length, diff, same, logged[i]));
    }
    return results;
  }

  /** The test images as little-endian float32 pixels in [0,1], written once. */
  private Path imagesFile() throws IOException {
    Path file = work.resolve("t10k-images.f32");
    if (Files.exists(file)) {
      return file;
    }
    Files.createDirectories(work);
    float[] pixels = new float[MnistData.PIXELS];
    ByteBuffer bytes = ByteBuffer.allocate(MnistData.PIXELS * 4).order(ByteOrder.LITTLE_ENDIAN);
    Path tmp = Files.createTempFile(work, ".images", ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      for (int i = 0; i < test.size(); i++) {
        test.copyScaled(i, pixels, 0);
        bytes.clear();
        bytes.asFloatBuffer().put(pixels);
        out.write(bytes.array());
      }
    }
    return Files.move(tmp, file);
  }

  /**
   * Softmax of every runtime's outputs when the model gives logits (a row outside [0,1] or not summing to 1
   * within 0.001 in the reference, or else the first output), so that differences are in probabilities.
   */
  static void toProbabilities(float[][] outputs) {
    float[] sample = null;
    for (int i = outputs.length - 1; i >= 0 && sample == null; i--) {
      sample = outputs[i];
    }
    if (sample == null || areProbabilities(sample)) {
      return;
    }
    for (float[] scores : outputs) {
      for (int row = 0; scores != null && row < scores.length / MnistData.CLASSES; row++) {
        int from = row * MnistData.CLASSES;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < MnistData.CLASSES; c++) {
          max = Math.max(max, scores[from + c]);
        }
        double sum = 0;
        for (int c = 0; c < MnistData.CLASSES; c++) {
          sum += Math.exp(scores[from + c] - max);
        }
        for (int c = 0; c < MnistData.CLASSES; c++) {
          scores[from + c] = (float) (Math.exp(scores[from + c] - max) / sum);
        }
      }
    }
  }

  private static boolean areProbabilities(float[] scores) {
    for (int row = 0; row < scores.length / MnistData.CLASSES; row++) {
      double sum = 0;
      for (int c = 0; c < MnistData.CLASSES; c++) {
        float p = scores[row * MnistData.CLASSES + c];
        if (p < 0 || p > 1) {
          return false;
        }
        sum += p;
      }
      if (Math.abs(sum - 1) > 1e-3) {
        return false;
      }
    }
    return true;
  }

  private static float[] readFloats(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    float[] values = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }

  private static int[] argmax(float[] scores) {
    int[] classes = new int[scores.length / MnistData.CLASSES];
    for (int k = 0; k < classes.length; k++) {
      int best = 0;
      for (int c = 1; c < MnistData.CLASSES; c++) {
        if (scores[k * MnistData.CLASSES + c] > scores[k * MnistData.CLASSES + best]) {
          best = c;
        }
      }
      classes[k] = best;
    }
    return classes;
  }

  /** {@code 0.9666} or {@code -}. */
  static String format(double value, String pattern) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, pattern, value);
  }
}
