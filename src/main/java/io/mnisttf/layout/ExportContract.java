package io.mnisttf.layout;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
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
 * {@code predict} read it so that they need no calibration for our models.
 *
 * @param version the contract format, {@value #VERSION}
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
  /** The format written by this version. */
  public static final int VERSION = 1;

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

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
   * @throws IOException when the file exists but cannot be read or is not a contract of a known version
   */
  public static Optional<ExportContract> read(Path savedModelDir) throws IOException {
    Path file = savedModelDir.resolve(FILE);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    ExportContract contract;
    try {
      contract = GSON.fromJson(text, ExportContract.class);
    } catch (JsonParseException | NullPointerException | IllegalArgumentException e) {
      throw new IOException(file + ": not a valid export contract (" + firstLine(e) + ")");
    }
    if (contract == null) {
      throw new IOException(file + ": empty export contract");
    }
    if (contract.version() != VERSION) {
      throw new IOException(file + ": export contract version " + contract.version() + "; " + VERSION
          + " expected");
    }
    return Optional.of(contract);
  }

  /** Writes this contract into the SavedModel folder {@code savedModelDir} (creating {@code assets.extra/}). */
  public void write(Path savedModelDir) throws IOException {
    Path file = savedModelDir.resolve(FILE);
    Files.createDirectories(file.getParent());
    Files.writeString(file, GSON.toJson(this) + "\n", StandardCharsets.UTF_8);
  }

  private static String firstLine(Exception e) {
    String m = Problems.firstLine(e.getMessage());
    return m.isEmpty() ? "malformed" : m;
  }
}
