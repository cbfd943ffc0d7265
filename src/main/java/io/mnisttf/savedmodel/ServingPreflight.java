package io.mnisttf.savedmodel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.TensorShapeProto;

/**
 * The checks {@link SavedModelPreflight} makes before a model is loaded, for serving it as TF Serving does:
 * the same safety and integrity checks (unknown or unsafe ops, malformed attrs, constants and functions,
 * checkpoints that do not match their variables, signatures TF Java cannot load), but no MNIST signature is
 * required: every signature is served as it is. Like TF Serving, it takes the MetaGraphDef tagged exactly
 * {@code serve} in a version folder that holds the model file itself.
 */
public final class ServingPreflight {
  private ServingPreflight() {}

  /**
   * A model that passed the checks.
   *
   * @param dir the version folder
   * @param metaGraph the MetaGraphDef tagged {@code serve}
   * @param scan what the op scan found
   */
  public record Checked(Path dir, MetaGraphDef metaGraph, OpScan scan) {}

  /**
   * Checks the model in version folder {@code dir} without loading it.
   *
   * @param allowUnsafeOps accept ops that touch files, the network or processes
   * @throws UnsafeModelException when unknown ops, or unsafe ops not allowed, are found
   * @throws SavedModelException for every other problem, naming the folder or file
   */
  public static Checked check(Path dir, boolean allowUnsafeOps) throws SavedModelException {
    if (Files.isDirectory(dir) && !Files.isRegularFile(dir.resolve(SavedModelReader.MODEL_FILE))
        && !Files.isRegularFile(dir.resolve(SavedModelReader.MODEL_TEXT_FILE))) {
      throw new SavedModelException(dir, "not a SavedModel folder: no " + SavedModelReader.MODEL_FILE + " in it");
    }
    SavedModelFile file = SavedModelReader.read(dir);
    MetaGraphDef metaGraph = file.metaGraph(List.of(SavedModelFile.SERVE_TAG)).metaGraph();
    OpScan scan = OpScanner.scan(metaGraph);
    SavedModelPreflight.requireLoadable(file.dir(), scan, allowUnsafeOps);
    TfJavaLimits.check(file.dir(), metaGraph);
    FunctionCycleCheck.check(file.dir(), metaGraph);
    ListAttrCheck.check(file.dir(), metaGraph);
    TensorAttrCheck.check(file.dir(), metaGraph);
    CheckpointIndex variables = SavedModelPreflight.checkVariables(file.dir(), metaGraph);
    CheckpointMatchCheck.check(file.dir(), metaGraph, variables);
    return new Checked(file.dir(), metaGraph, scan);
  }

  /** The dimensions a signature declares ({@code -1} for unknown sizes), or {@code null} for an unknown rank. */
  public static long[] dims(TensorShapeProto shape) {
    return TensorSpec.dims(shape);
  }

  /** A shape as the tool writes it: {@code [-1,28,28]}. */
  public static String shapeText(long[] dims) {
    return TensorSpec.shapeText(dims);
  }
}
