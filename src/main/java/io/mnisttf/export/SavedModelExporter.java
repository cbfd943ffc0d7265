package io.mnisttf.export;

import io.mnisttf.model.ModelConfig;
import io.mnisttf.runtime.RegisteredOps;
import io.mnisttf.train.CheckpointSource;
import io.mnisttf.util.StagingDir;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import io.mnisttf.data.MnistData;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.OpList;
import org.tensorflow.proto.SavedModel;
import io.mnisttf.layout.ExportContract;
import io.mnisttf.layout.ServingConventions;
import io.mnisttf.layout.VersionedExportDir;

/**
 * Exports trained weights as a SavedModel that TensorFlow Serving and Python's {@code tf.saved_model.load}
 * use as they are: tag {@code serve}, signature {@code serving_default} (method
 * {@code tensorflow/serving/predict}) from input {@code images} float32 {@code [-1,28,28]} in [0,1] to outputs
 * {@code probabilities} float32 {@code [-1,10]} and {@code classes} int64 {@code [-1]}.
 *
 * <p>The graph is inference-only ({@link InferenceGraph}); its variables are restored from a checkpoint of
 * the training session and saved by TF Java's exporter. The meta graph's {@code meta_info_def} is then
 * completed as Python's exporter does (TensorFlow version, the stripped op list, default-valued attrs
 * removed and {@code stripped_default_attrs} set), and the model is
 * published as the next numbered version ({@link VersionedExportDir}).
 */
public final class SavedModelExporter {

  private SavedModelExporter() {}

  /**
   * The contract of our exports: signature {@code serving_default}, input {@code images} in [0,1], outputs
   * {@code probabilities} and {@code classes}, class names "0" to "9", with the run's {@code metrics} and the
   * {@code dataSha256} of its data files (either may be empty when unknown).
   */
  public static ExportContract contract(Map<String, Double> metrics, Map<String, String> dataSha256) {
    String own = SavedModelExporter.class.getPackage().getImplementationVersion();
    return new ExportContract(ExportContract.VERSION, Signature.DEFAULT_KEY, InferenceGraph.INPUT_KEY, "unit",
        InferenceGraph.PROBABILITIES_KEY, InferenceGraph.CLASSES_KEY,
        IntStream.range(0, MnistData.CLASSES).mapToObj(Integer::toString).toList(), metrics, dataSha256,
        "mnist-tf-java " + (own == null ? "development build" : own) + " (TensorFlow " + TensorFlow.version() + ")");
  }

  /**
   * As {@link #export(ModelConfig, CheckpointSource, ExportContract, Path)} with a contract that knows no metrics
   * and no data files: for weights that do not come from a {@code TrainingRun} (tests, tools).
   */
  public static Path export(ModelConfig config, CheckpointSource weights, Path baseDir) throws IOException {
    return export(config, weights, contract(Map.of(), Map.of()), baseDir);
  }

  /**
   * Exports the weights that {@code weights} writes, for a network shaped by {@code config}, as the next
   * version under {@code baseDir}, with {@code contract} in {@link ExportContract#FILE}; returns the new version's
   * folder. Internal: library users export with {@code TrainingRun.exportSavedModel(base)}.
   */
  public static Path export(ModelConfig config, CheckpointSource weights, ExportContract contract, Path baseDir)
      throws IOException {
    return new VersionedExportDir(baseDir).publish(folder -> write(config, weights, contract, folder));
  }

  /**
   * Writes the SavedModel and its contract into {@code folder} (which must exist and be empty). The training
   * variables go through a temporary checkpoint in a hidden staging folder beside {@code folder}, so a process
   * killed meanwhile leaves only folders that the next export removes.
   */
  static void write(ModelConfig config, CheckpointSource weights, ExportContract contract, Path folder)
      throws IOException {
    try (StagingDir checkpoint = StagingDir.create(folder.toAbsolutePath().getParent())) {
      Path prefix = checkpoint.path().resolve("weights");
      weights.saveCheckpoint(prefix);
      try (Graph graph = new Graph()) {
        InferenceGraph serving = InferenceGraph.build(graph, config);
        try (Session session = new Session(graph)) {
          session.restore(prefix.toString());
          SavedModelBundle.exporter(folder.toString())
              .withTags(ServingConventions.SERVE_TAG)
              .withSession(session)
              .withSignature(serving.servingSignature())
              .export();
        }
      }
      completeMetaInfo(folder.resolve("saved_model.pb"));
      contract.write(folder);
      syncAll(folder);
    }
  }

  /**
   * Fills what TF Java's exporter leaves out and Python's writes: the SavedModel schema version, the
   * TensorFlow version and the definitions of the ops the graph uses (so consumers can check them); and
   * removes the default-valued attrs, as Python's {@code strip_default_attrs=True} does, so that older
   * TensorFlow versions (back to 1.15) load the graph ({@link DefaultAttrStripper}).
   */
  static void completeMetaInfo(Path savedModelPb) throws IOException {
    SavedModel model = SavedModel.parseFrom(Files.readAllBytes(savedModelPb));
    SavedModel.Builder builder = model.toBuilder().setSavedModelSchemaVersion(1);
    for (MetaGraphDef.Builder meta : builder.getMetaGraphsBuilderList()) {
      meta.setGraphDef(DefaultAttrStripper.strip(meta.getGraphDef(), RegisteredOps::get));
      meta.getMetaInfoDefBuilder()
          .setTensorflowVersion(TensorFlow.version())
          .setStrippedOpList(strippedOpList(meta.getGraphDef()))
          .setStrippedDefaultAttrs(true);
    }
    try (OutputStream out = Files.newOutputStream(savedModelPb)) {
      builder.build().writeTo(out);
    }
  }

  /** Definitions of the op types used in {@code graph}, without documentation, sorted by name. */
  static OpList strippedOpList(GraphDef graph) {
    Map<String, OpDef> used = new TreeMap<>();
    for (NodeDef node : graph.getNodeList()) {
      if (!used.containsKey(node.getOp())) {
        RegisteredOps.get(node.getOp()).ifPresent(op -> used.put(op.getName(), stripDocs(op)));
      }
    }
    return OpList.newBuilder().addAllOp(used.values()).build();
  }

  private static OpDef stripDocs(OpDef op) {
    OpDef.Builder b = op.toBuilder().clearSummary().clearDescription();
    b.getInputArgBuilderList().forEach(a -> a.clearDescription());
    b.getOutputArgBuilderList().forEach(a -> a.clearDescription());
    b.getAttrBuilderList().forEach(a -> a.clearDescription());
    return b.build();
  }

  /** Flushes every file of the new model to disk before it is published. */
  private static void syncAll(Path folder) throws IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
          channel.force(true);
        }
      }
    }
  }
}
