package io.mnisttf.layout;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.mnisttf.util.FileProblemException;
import io.mnisttf.util.JsonFormat;
import io.mnisttf.util.Problems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The input and output contract that our exports carry inside their SavedModel folder, in
 * {@value #FILE}: TensorFlow Serving and Python ignore {@code assets.extra/}, and our own {@code evaluate} and
 * {@code predict} read it so that they need no calibration for our models. Written in the tool's one JSON style
 * ({@link JsonFormat}: snake_case keys); version 1 contracts, written with camelCase keys, are still read.
 *
 * @param version the contract format, {@value #VERSION} (1: the same fields, camelCase keys)
 * @param signature the signature key to call ({@code serving_default})
 * @param input the signature's input key ({@code images}: float32 {@code [-1,28,28]})
 * @param inputScale the pixel range the input expects: {@code "unit"} ([0,1]) or {@code "byte"} (0..255)
 * @param probabilities the output key holding softmax probabilities, {@code [-1,10]}
 * @param classes the output key holding the predicted class index, {@code [-1]}
 * @param classNames the name of each class index (for MNIST, {@code "0"} to {@code "9"})
 * @param metrics the training run's final metrics ({@code test_accuracy}, {@code test_loss}, {@code val_loss},
 *     ...); empty when unknown
 * @param dataSha256 SHA-256 (lower-case hex) of each data file the model was trained on, by file name
 * @param producer what wrote the model, e.g. {@code "mnist-tf-java 1.0.0 (TensorFlow 2.18.0)"}
 */
public record ExportContract(int version, String signature, String input, String inputScale, String probabilities,
    String classes, List<String> classNames, Map<String, Double> metrics, Map<String, String> dataSha256,
    String producer) {
  /** The contract's path inside a SavedModel folder. */
  public static final String FILE = "assets.extra/mnist-tf-java.json";
  /** The format written by this version: snake_case keys. */
  public static final int VERSION = 2;
  /** The first format: the same fields with camelCase keys. */
  static final int VERSION_CAMEL_CASE = 1;

  public ExportContract {
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(inputScale, "inputScale");
    Objects.requireNonNull(probabilities, "probabilities");
    classNames = List.copyOf(classNames);
    metrics = Collections.unmodifiableMap(new TreeMap<>(metrics)); // sorted: the same run writes the same file
    dataSha256 = Collections.unmodifiableMap(new TreeMap<>(dataSha256));
  }

  /**
   * Reads the contract of the SavedModel in {@code savedModelDir}.
   *
   * @return the contract, or empty when the model has none (a model not made by us)
   * @throws FileProblemException when the file exists but cannot be read or is not a contract of a known version
   */
  public static Optional<ExportContract> read(Path savedModelDir) throws IOException {
    Path file = savedModelDir.resolve(FILE);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new FileProblemException(file, "cannot be read (" + Problems.describe(e) + ")", e);
    }
    JsonObject json;
    try {
      JsonElement tree = JsonParser.parseString(text);
      if (tree.isJsonNull()) {
        throw new FileProblemException(file, "empty export contract");
      }
      json = tree.getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new FileProblemException(file, "not a valid export contract (" + firstLine(e) + ")");
    }
    JsonElement version = json.get("version");
    int v = version != null && version.isJsonPrimitive() && version.getAsJsonPrimitive().isNumber()
        ? version.getAsInt() : -1;
    if (v != VERSION && v != VERSION_CAMEL_CASE) {
      throw new FileProblemException(file, "export contract version " + (version == null ? "missing" : version)
          + "; " + VERSION + " (or " + VERSION_CAMEL_CASE + ") expected");
    }
    try {
      return Optional.of(v == VERSION ? JsonFormat.FILE.fromJson(json, ExportContract.class)
          : JsonFormat.builder().setFieldNamingPolicy(FieldNamingPolicy.IDENTITY).create()
              .fromJson(json, ExportContract.class));
    } catch (JsonParseException | NullPointerException | IllegalArgumentException e) {
      throw new FileProblemException(file, "not a valid export contract (" + firstLine(e) + ")");
    }
  }

  /** Writes this contract into the SavedModel folder {@code savedModelDir} (creating {@code assets.extra/}). */
  public void write(Path savedModelDir) throws IOException {
    Path file = savedModelDir.resolve(FILE);
    Files.createDirectories(file.getParent());
    Files.writeString(file, JsonFormat.FILE.toJson(this) + "\n", StandardCharsets.UTF_8);
  }

  private static String firstLine(Exception e) {
    String m = Problems.firstLine(e.getMessage());
    return m.isEmpty() ? "malformed" : m;
  }
}
