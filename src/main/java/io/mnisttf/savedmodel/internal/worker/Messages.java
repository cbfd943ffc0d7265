package io.mnisttf.savedmodel.internal.worker;

import com.google.gson.Gson;
import io.mnisttf.savedmodel.ClassifierDescription;
import io.mnisttf.savedmodel.ClassifierOptions;
import io.mnisttf.savedmodel.InputScale;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.util.JsonFormat;
import java.nio.file.Path;

/**
 * The JSON payloads of the worker protocol ({@link Frame}), in the tool's one JSON set-up ({@link JsonFormat}).
 * The protocol has its own records, not the API's options: the API can grow without changing the wire, and the
 * wire carries only what the worker needs.
 */
public final class Messages {
  static final Gson GSON = JsonFormat.LINE;

  private Messages() {}

  /** The worker's first frame, sent as soon as its JVM runs (before TensorFlow has loaded). */
  public record Hello(int version, long pid) {}

  /**
   * Open a model: check it, load it and, unless it carries our export contract, calibrate it (on the training
   * images of {@code calibrationData}, else the sample bundled in the jar). The fields mirror
   * {@link ClassifierOptions}' choices of what to call and how.
   *
   * @param model the SavedModel folder as the user gave it (the worker runs in the same working folder)
   */
  public record Open(String model, String tagSet, String signatureKey, String inputTensor, String outputTensor,
      String inputScale, boolean allowUnsafeOps, int batchSize, int calibrationSamples, String calibrationData) {
    static Open of(Path model, ClassifierOptions o) {
      return new Open(model.toString(), o.tagSet(), o.signatureKey(), o.inputTensor(), o.outputTensor(),
          o.inputScale().name(), o.allowUnsafeOps(), o.batchSize(), o.calibrationSamples(), o.calibrationData());
    }

    /** The options to open the model with, in the worker's own process. */
    ClassifierOptions options() {
      return ClassifierOptions.DEFAULTS.inProcess().withTagSet(tagSet).withSignatureKey(signatureKey)
          .withTensors(inputTensor, outputTensor).withInputScale(InputScale.valueOf(inputScale))
          .withAllowUnsafeOps(allowUnsafeOps).withBatchSize(batchSize).withCalibrationSamples(calibrationSamples)
          .withCalibrationData(calibrationData);
    }
  }

  /** What was opened ({@code OPENED} and {@code DESCRIPTION} replies). */
  public record Opened(ClassifierDescription description, int batchSize) {}

  /**
   * A request failed: the problem as data.
   *
   * @param kind the {@link SavedModelException.Kind}'s name
   * @param path the file or folder concerned
   * @param problem one line, without the path
   */
  public record Failure(String kind, String path, String problem) {
    static Failure of(SavedModelException e) {
      return new Failure(e.kind().name(), String.valueOf(e.path()), e.problem());
    }

    /** The failure as the exception it was in the worker. */
    SavedModelException exception() {
      SavedModelException.Kind k;
      try {
        k = SavedModelException.Kind.valueOf(kind);
      } catch (IllegalArgumentException | NullPointerException e) {
        k = SavedModelException.Kind.WORKER_FAILED;
      }
      return new SavedModelException(Path.of(path), k, io.mnisttf.util.Problems.firstLine(problem));
    }
  }

  static Frame frame(Frame.Type type, Object message) {
    return Frame.json(type, GSON.toJson(message));
  }

  static <T> T parse(Frame frame, Class<T> type) throws Frame.ProtocolException {
    try {
      T value = GSON.fromJson(frame.text(), type);
      if (value == null) {
        throw new Frame.ProtocolException("empty " + frame.type() + " frame");
      }
      return value;
    } catch (RuntimeException e) {
      throw new Frame.ProtocolException("malformed " + frame.type() + " frame (" + e.getMessage() + ")");
    }
  }
}
