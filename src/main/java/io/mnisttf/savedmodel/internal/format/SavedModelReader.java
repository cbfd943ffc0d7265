package io.mnisttf.savedmodel.internal.format;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TextFormat;
import io.mnisttf.layout.VersionedExportDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.tensorflow.proto.SavedModel;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.util.Problems;

/**
 * Reads a SavedModel's {@code saved_model.pb} (or {@code saved_model.pbtxt}) without loading the model
 * into TensorFlow: nothing in it runs.
 *
 * <p>The folder may also be a TensorFlow Serving model base path ({@code <dir>/<version>/saved_model.pb}):
 * the version Serving serves by default, the highest numbered one ({@link VersionedExportDir#servedVersion}),
 * is read, and refused when it is not a SavedModel, as Serving would fail to serve it. Every problem (missing
 * folder, a file instead of a folder, no model file, a file larger than the limit, an empty, truncated or
 * non-protobuf file, no MetaGraphDef) is a {@link SavedModelException} naming the path.
 */
public final class SavedModelReader {
  /** Name of the binary model file. */
  public static final String MODEL_FILE = "saved_model.pb";
  /** Name of the text-format model file, used when there is no binary one. */
  public static final String MODEL_TEXT_FILE = "saved_model.pbtxt";
  /** Default size limit of the model file: 1 GiB (protobuf itself stops at 2 GiB). */
  public static final long MAX_BYTES_DEFAULT = 1L << 30;

  private SavedModelReader() {}

  /** Reads the model in {@code dir} with the default size limit. */
  public static SavedModelFile read(Path dir) throws SavedModelException {
    return read(dir, MAX_BYTES_DEFAULT);
  }

  /**
   * Reads the model in {@code dir}.
   *
   * @param dir the SavedModel folder, or a Serving base folder with numbered versions
   * @param maxBytes largest model file accepted, in bytes
   */
  public static SavedModelFile read(Path dir, long maxBytes) throws SavedModelException {
    Path modelDir = resolveFolder(dir);
    Path binary = modelDir.resolve(MODEL_FILE);
    Path text = modelDir.resolve(MODEL_TEXT_FILE);
    boolean isText = !Files.exists(binary) && Files.exists(text);
    Path file = isText ? text : binary;
    long size = size(file, maxBytes);
    SavedModel proto;
    try {
      byte[] bytes = Files.readAllBytes(file);
      proto = isText ? parseText(bytes) : SavedModel.parseFrom(bytes);
    } catch (InvalidProtocolBufferException | TextFormat.ParseException e) {
      throw new SavedModelException(file, "truncated or not a SavedModel protocol buffer ("
          + Problems.describe(e) + ")");
    } catch (IOException e) {
      throw new SavedModelException(file, "cannot be read (" + Problems.describe(e) + ")", e);
    }
    if (proto.getMetaGraphsCount() == 0) {
      throw new SavedModelException(file, "not a SavedModel: it holds no MetaGraphDef");
    }
    for (int i = 0; i < proto.getMetaGraphsCount(); i++) {
      if (!proto.getMetaGraphs(i).hasGraphDef()) {
        throw new SavedModelException(file, "truncated or not a SavedModel: MetaGraphDef " + i
            + " (tags " + proto.getMetaGraphs(i).getMetaInfoDef().getTagsList() + ") has no graph");
      }
    }
    return new SavedModelFile(modelDir, file, size, proto);
  }

  private static SavedModel parseText(byte[] bytes) throws TextFormat.ParseException {
    SavedModel.Builder builder = SavedModel.newBuilder();
    TextFormat.getParser().merge(new String(bytes, StandardCharsets.UTF_8), builder);
    return builder.build();
  }

  private static long size(Path file, long maxBytes) throws SavedModelException {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new SavedModelException(file, "cannot be read (" + Problems.describe(e) + ")", e);
    }
    if (size == 0) {
      throw new SavedModelException(file, "empty file (a SavedModel protocol buffer expected)");
    }
    if (size > maxBytes) {
      throw new SavedModelException(file, String.format(Locale.ROOT,
          "%,d bytes, more than the limit of %,d bytes", size, maxBytes));
    }
    return size;
  }

  /** The folder that holds the model file: {@code dir} itself or its highest numbered version. */
  public static Path resolveFolder(Path dir) throws SavedModelException {
    if (!Files.exists(dir)) {
      throw new SavedModelException(dir, "no such directory (a SavedModel folder expected)");
    }
    if (!Files.isDirectory(dir)) {
      String name = String.valueOf(dir.getFileName());
      if (name.equals(MODEL_FILE) || name.equals(MODEL_TEXT_FILE)) { // the model file itself: use its folder
        return dir.getParent() != null ? dir.getParent() : dir.toAbsolutePath().getParent();
      }
      throw new SavedModelException(dir, OtherModelFormats.describe(dir)
          .orElse("is a file, not a SavedModel folder"));
    }
    if (hasModelFile(dir)) {
      return dir;
    }
    Optional<Path> served;
    try {
      served = VersionedExportDir.servedVersion(dir);
    } catch (IOException e) {
      throw new SavedModelException(dir, "cannot list the folder (" + Problems.describe(e) + ")", e);
    }
    if (served.isEmpty()) {
      throw new SavedModelException(dir, "not a SavedModel folder: no " + MODEL_FILE + " in it"
          + OtherModelFormats.describeFolder(dir).map(other -> "; " + other)
              .orElse(" (nor in a numbered version folder)"));
    }
    if (!hasModelFile(served.get())) { // a file named as a version holds none either
      throw new SavedModelException(dir, "version '" + served.get().getFileName() + "', the highest, which TF"
          + " Serving would serve, is not a SavedModel folder: no " + MODEL_FILE + " in it (name a version folder"
          + " to use another)");
    }
    return served.get();
  }

  private static boolean hasModelFile(Path dir) {
    return Files.isRegularFile(dir.resolve(MODEL_FILE)) || Files.isRegularFile(dir.resolve(MODEL_TEXT_FILE));
  }
}
