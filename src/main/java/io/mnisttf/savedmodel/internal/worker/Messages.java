package io.mnisttf.savedmodel.internal.worker;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.mnisttf.savedmodel.ClassifierDescription;
import io.mnisttf.savedmodel.ClassifierOptions;

/**
 * The JSON payloads of the worker protocol ({@link Frame}). Records go through Gson as they are, so a field
 * added to {@code ClassifierOptions} or {@code ClassifierDescription} crosses the pipe without a change here.
 */
public final class Messages {
  public static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping().create();

  private Messages() {}

  /** The worker's first frame, sent as soon as its JVM runs (before TensorFlow has loaded). */
  public record Hello(int version, long pid) {}

  /**
   * Open a model: check it, load it and, unless it carries our export contract, calibrate it (on the training
   * images of {@code options.calibrationData()}, else the sample bundled in the jar).
   *
   * @param model the SavedModel folder as the user gave it (the worker runs in the same working folder)
   * @param options how to open it
   */
  public record Open(String model, ClassifierOptions options) {}

  /** What was opened ({@code OPENED} and {@code DESCRIPTION} replies). */
  public record Opened(ClassifierDescription description, int batchSize) {}

  /** A request failed: one line for the user. */
  public record Failure(String message) {}

  public static Frame frame(Frame.Type type, Object message) {
    return Frame.json(type, GSON.toJson(message));
  }

  public static <T> T parse(Frame frame, Class<T> type) throws Frame.ProtocolException {
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
