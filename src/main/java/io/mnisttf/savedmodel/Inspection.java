package io.mnisttf.savedmodel;

import io.mnisttf.compat.VersionVerdict;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import io.mnisttf.savedmodel.OpScan;

/**
 * What {@link ModelInspector} reads from a SavedModel without loading it: what {@code saved_model_cli show
 * --all} prints, plus variables, op types, the safety verdict and what {@code evaluate} would call, for the same
 * model-selection options.
 *
 * @param dir the SavedModel folder
 * @param file the model file
 * @param fileBytes its size
 * @param savedBy the TensorFlow version that wrote it, or empty when not recorded
 * @param metaGraphs every MetaGraphDef: tag set and signatures
 * @param servingTags the tag set evaluate would load (and that the scan, variables and versions describe), or
 *     {@code null} when none can be chosen
 * @param variables variable count and size, or {@code null} without a serving MetaGraphDef
 * @param scan op histogram and safety findings of the serving MetaGraphDef, or {@code null}
 * @param loadProblem why TF Java could not load the model, or {@code null}
 * @param signatureProblems for each callable signature that cannot classify MNIST images, why
 * @param evaluatePlan what evaluate would call and how, or {@code null} when it would refuse the model
 * @param evaluateProblem why evaluate would refuse the model, or {@code null}
 * @param tensorflowVersions which TensorFlow versions (1.15 to 2.18) load the serving graph and why not the
 *     others, or {@code null} without a serving MetaGraphDef
 */
public record Inspection(Path dir, Path file, long fileBytes, String savedBy, List<MetaGraph> metaGraphs,
    List<String> servingTags, Variables variables, OpScan scan, String loadProblem,
    Map<String, String> signatureProblems, Plan evaluatePlan, String evaluateProblem,
    VersionVerdict tensorflowVersions) {

  /**
   * One MetaGraphDef.
   *
   * @param tags its tag set
   * @param signatures its signatures, sorted by key
   */
  public record MetaGraph(List<String> tags, List<SignatureInfo> signatures) {}

  /**
   * One signature as declared.
   *
   * @param key its key
   * @param methodName its method name (may be empty)
   * @param inputs its inputs, sorted by key
   * @param outputs its outputs, sorted by key
   */
  public record SignatureInfo(String key, String methodName, List<TensorSpec> inputs, List<TensorSpec> outputs) {}

  /**
   * The model's variables.
   *
   * @param count number of variable tensors (the TF2 object graph excluded)
   * @param bytes their total size
   * @param shards data shards of the checkpoint (0 when counted from the graph)
   * @param source where the numbers come from: the checkpoint index, or the graph's variable ops
   * @param problem what is wrong with the variable files, or {@code null}
   */
  public record Variables(int count, long bytes, int shards, String source, String problem) {}

  /**
   * What {@code evaluate} would do with the same model-selection options and {@code --input-scale auto}, decided
   * by the same code (the pre-load report that loading acts on).
   *
   * @param signature the signature (or graph tensors) it would call, and how images would be fed
   * @param scale the pixel scale it would feed: from the export's contract, {@link InputScale#BYTE} for whole
   *     number inputs, or {@link InputScale#AUTO} when calibration decides
   * @param scaleReason why, or how it would be decided
   * @param notes one-line remarks evaluate would print about the choice (tag set, tensors, contract), in order
   */
  public record Plan(ModelSignature signature, InputScale scale, String scaleReason, List<String> notes) {
    public Plan {
      notes = List.copyOf(notes);
    }
  }
}
