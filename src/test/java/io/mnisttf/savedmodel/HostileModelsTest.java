package io.mnisttf.savedmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorShapeProto;
import io.mnisttf.savedmodel.internal.preflight.CheckedModel;
import io.mnisttf.savedmodel.internal.preflight.PreloadReport;
import io.mnisttf.savedmodel.internal.runtime.LoadedModel;
import io.mnisttf.savedmodel.internal.runtime.InProcessClassifier;
import io.mnisttf.testing.TestData;
import io.mnisttf.testing.TestModel;

/**
 * Hostile or broken SavedModels: each is refused with one clear line naming the model (or file), and
 * nothing that could harm runs first.
 */
class HostileModelsTest {
  @TempDir Path tmp;

  private static SavedModelException refused(Path dir) {
    return refused(dir, ClassifierOptions.DEFAULTS);
  }

  private static SavedModelException refused(Path dir, ClassifierOptions options) {
    SavedModelException e = assertThrows(SavedModelException.class,
        () -> InProcessClassifier.open(dir, options, TestData.train()).close());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e;
  }

  private static void assertContains(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), "'" + part + "' expected in: " + message);
    }
  }

  @Test
  void missingFolder() {
    Path dir = tmp.resolve("nowhere");
    assertContains(refused(dir).getMessage(), dir.toString(), "no such directory");
  }

  @Test
  void folderWithoutModel() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("photos"));
    Files.writeString(dir.resolve("readme.txt"), "not a model");
    assertContains(refused(dir).getMessage(), dir.toString(), "not a SavedModel folder", "saved_model.pb");
  }

  @Test
  void kerasFileInsteadOfFolder() throws IOException {
    Path file = Files.writeString(tmp.resolve("model.keras"), "PK");
    assertContains(refused(file).getMessage(), file.toString(), "is a file", ".keras");
  }

  @Test
  void truncatedModelFile() throws IOException {
    Path dir = TestModel.ours().export(tmp.resolve("m"));
    Path pb = dir.resolve("saved_model.pb");
    TestModel.truncate(pb, Files.size(pb) / 2);
    assertContains(refused(dir).getMessage(), pb.toString(), "truncated or not a SavedModel protocol buffer");
  }

  @Test
  void emptyAndGarbageModelFiles() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("m"));
    Path pb = dir.resolve("saved_model.pb");
    Files.write(pb, new byte[0]);
    assertContains(refused(dir).getMessage(), pb.toString(), "empty file");
    Files.writeString(pb, "this is plain text, not a protocol buffer at all");
    assertContains(refused(dir).getMessage(), pb.toString(), "SavedModel");
  }

  @Test
  void missingVariables() throws IOException {
    Path dir = TestModel.ours().export(tmp.resolve("m"));
    deleteTree(dir.resolve("variables"));
    assertContains(refused(dir).getMessage(), "variables.index", "missing", "6 variable op(s)");
  }

  @Test
  void truncatedVariablesData() throws IOException {
    Path dir = TestModel.ours().export(tmp.resolve("m"));
    Path data = dir.resolve("variables").resolve("variables.data-00000-of-00001");
    TestModel.truncate(data, Files.size(data) - 100);
    assertContains(refused(dir).getMessage(), data.toString(), "truncated variables data file");
  }

  @Test
  void truncatedVariablesIndex() throws IOException {
    Path dir = TestModel.ours().export(tmp.resolve("m"));
    Path index = dir.resolve("variables").resolve("variables.index");
    TestModel.truncate(index, Files.size(index) - 20);
    assertContains(refused(dir).getMessage(), index.toString(), "not a checkpoint index");
  }

  @Test
  void inputShapeThatIsNotMnist() throws IOException {
    Path dir = TestModel.linear().with(m -> m.inputShape = new long[] {-1, 36, 36}).export(tmp.resolve("m"));
    assertContains(refused(dir).getMessage(), dir.toString(), "no signature can classify MNIST images",
        "takes [-1,36,36]", "[-1,28,28], [-1,784], [-1,28,28,1], [-1,1,28,28], [-1,32,32], [-1,1024], [-1,32,32,1]"
            + " or [-1,1,32,32]");
  }

  @Test
  void signatureClaimingRank3ForAConvolutionIsRefusedBeforeLoading() throws IOException {
    Path dir = cnnWithSignatureShape(TensorShapeProto.newBuilder().addDim(dim(-1)).addDim(dim(28)).addDim(dim(28)));
    assertContains(refused(dir).getMessage(), dir.toString(), "signature 'serving_default' input 'images'",
        "declared [-1,28,28]", "placeholder 'images' has shape [-1,28,28,1]");
  }

  @Test
  void signatureOfUnknownRankIsRefusedBeforeLoading() throws IOException {
    Path dir = cnnWithSignatureShape(TensorShapeProto.newBuilder().setUnknownRank(true));
    assertContains(refused(dir).getMessage(), "input 'images' has unknown rank",
        "TensorFlow Java 1.1.0 refuses to load such a model");
    var tfJava = assertThrows(IllegalArgumentException.class,
        () -> SavedModelBundle.load(dir.toString(), "serve").close(), "TF Java still cannot load it");
    assertContains(tfJava.getMessage(), "incompatible with the signature's required shape of []");
  }

  /** The CNN variant with its signature's input shape replaced. */
  private Path cnnWithSignatureShape(TensorShapeProto.Builder shape) throws IOException {
    Path dir = TestModel.linear().with(m -> {
      m.inputShape = new long[] {-1, 28, 28, 1};
      m.conv = true;
    }).export(tmp.resolve("m"));
    TestModel.edit(dir, b -> {
      var signature = b.getMetaGraphsBuilder(0).getSignatureDefOrThrow("serving_default").toBuilder();
      signature.putInputs("images", signature.getInputsOrThrow("images").toBuilder().setTensorShape(shape).build());
      b.getMetaGraphsBuilder(0).putSignatureDef("serving_default", signature.build());
      return b;
    });
    return dir;
  }

  @Test
  void loadedGraphShapeIsCheckedAgainstTheLayoutBeforeRunning() throws Exception {
    Path dir = TestModel.linear().with(m -> {
      m.inputShape = new long[] {-1, 28, 28, 1};
      m.conv = true;
    }).export(tmp.resolve("m"));
    CheckedModel checked = PreloadReport.of(dir, ClassifierOptions.DEFAULTS).requireLoadable();
    ModelSignature real = checked.signature();
    ModelSignature lie = new ModelSignature(real.key(), real.methodName(), real.input(), InputLayout.IMAGE, 0,
        real.output());
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), "serve")) {
      LoadedModel.checkLoadedGraph(dir, bundle, real);
      var e = assertThrows(SavedModelException.class, () -> LoadedModel.checkLoadedGraph(dir, bundle, lie));
      assertContains(e.getMessage(), "[-1,28,28,1] in the loaded graph", "fed as [-1,28,28]");
    }
  }

  @Test
  void unregisteredOpIsRefusedBeforeLoading() throws IOException {
    Path dir = TestModel.ours().export(tmp.resolve("m"));
    TestModel.edit(dir, b -> {
      var graph = b.getMetaGraphsBuilder(0).getGraphDefBuilder();
      for (NodeDef.Builder node : graph.getNodeBuilderList()) {
        if (node.getOp().equals("Softmax")) {
          node.setOp("MnistTfNoSuchOp");
        }
      }
      return b;
    });
    var e = refused(dir, ClassifierOptions.DEFAULTS.withAllowUnsafeOps(true));
    assertEquals(SavedModelException.Kind.UNKNOWN_OPS, e.kind());
    assertContains(e.getMessage(), "refused before loading", "unknown to TensorFlow", "MnistTfNoSuchOp");
  }

  @Test
  void writeFileRunAtLoadIsRefusedUnlessAllowed() throws Exception {
    Path target = tmp.resolve("written-by-the-model.txt");
    Path dir = TestModel.ours().with(m -> m.writeFileOnLoad = target).export(tmp.resolve("m"));
    var e = refused(dir);
    assertEquals(SavedModelException.Kind.UNSAFE_OPS, e.kind());
    assertContains(e.getMessage(), "refused before loading", "WriteFile (writes files: node 'write_file')");
    assertFalse(Files.exists(target), "nothing ran");

    try (InProcessClassifier c = InProcessClassifier.open(dir, ClassifierOptions.DEFAULTS.withAllowUnsafeOps(true),
        TestData.train())) {
      assertTrue(Files.exists(target), "loading ran the model's main op, which is why it is refused by default");
      assertEquals("written at load", Files.readString(target));
      assertEquals(TestData.centroids().referenceAccuracy(),
          SavedModelEvaluator.evaluate(c, TestData.test()).accuracy(), 0.0005);
    }
  }

  @Test
  void readFileWhenCalledIsRefusedUnlessAllowed() throws Exception {
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "secret");
    Path dir = TestModel.ours().with(m -> m.readFileOnCall = secret).export(tmp.resolve("m"));
    var e = refused(dir);
    assertContains(e.getMessage(), "ReadFile (reads files: node 'read_file')");
    try (InProcessClassifier c = InProcessClassifier.open(dir, ClassifierOptions.DEFAULTS.withAllowUnsafeOps(true),
        TestData.train())) {
      assertEquals(TestData.centroids().referenceAccuracy(),
          SavedModelEvaluator.evaluate(c, TestData.test()).accuracy(), 0.0005);
    }
    Files.delete(secret);
    assertContains(refused(dir, ClassifierOptions.DEFAULTS.withAllowUnsafeOps(true)).getMessage(),
        "calling signature 'serving_default' failed", "secret.txt", "No such file");
  }

  @Test
  void modelThatFailsOnEveryCall() throws IOException {
    Path dir = TestModel.ours().with(m -> m.failsAtRunTime = true).export(tmp.resolve("m"));
    assertContains(refused(dir).getMessage(), dir.toString(), "calling signature 'serving_default' failed",
        "this model always fails");
  }

  @Test
  void modelWhoseVariablesAreNeverRestoredFailsWithAHint() throws IOException {
    Path dir = TestModel.linear().with(m -> m.unrestoredResourceVariable = true).export(tmp.resolve("m"));
    assertContains(refused(dir).getMessage(), dir.toString(), "calling signature 'serving_default' failed",
        "Could not find variable unrestored_bias", "keras-team/keras#19274", "model.export(dir)");
  }

  @Test
  void requestedSignatureMustExistAndFit() throws IOException {
    Path dir = TestModel.linear().with(m -> m.stringServingDefault = true).export(tmp.resolve("m"));
    assertContains(refused(dir, ClassifierOptions.DEFAULTS.withSignatureKey("predict")).getMessage(),
        "no signature 'predict'", "predict_images", "serving_default");
    assertContains(refused(dir, ClassifierOptions.DEFAULTS.withSignatureKey("serving_default")).getMessage(),
        "signature 'serving_default' cannot classify MNIST images", "input 'inputs' is DT_STRING");
  }

  @Test
  void shardedVariableFiles() throws Exception {
    Path dir = TestModel.linear().export(tmp.resolve("m"));
    Path variables = dir.resolve("variables");
    deleteTree(variables);
    Files.createDirectories(variables);
    writeTwoShardCheckpoint(variables.resolve("variables"), tmp.resolve("parts"));
    assertTrue(Files.exists(variables.resolve("variables.data-00001-of-00002")));
    try (InProcessClassifier c = InProcessClassifier.open(dir, ClassifierOptions.DEFAULTS, TestData.train())) {
      assertEquals(2, c.model().variables().shards());
      assertEquals(TestData.centroids().referenceAccuracy(),
          SavedModelEvaluator.evaluate(c, TestData.test()).accuracy(), 0.0005);
    }
    Files.delete(variables.resolve("variables.data-00001-of-00002"));
    assertContains(refused(dir).getMessage(), "variables.data-00001-of-00002", "missing variables data file",
        "2 shards");
  }

  /** Saves the linear model's two variables into two shards and merges them, as Python's sharded saver does. */
  private static void writeTwoShardCheckpoint(Path prefix, Path partsDir) throws IOException {
    Files.createDirectories(partsDir);
    TestData.Centroids centroids = TestData.centroids();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      String part0 = partsDir.resolve("part-00000-of-00002").toString();
      String part1 = partsDir.resolve("part-00001-of-00002").toString();
      var save0 = tf.train.save(tf.constant(part0), tf.constant(java.nio.charset.StandardCharsets.UTF_8, new String[] {"dense_kernel"}),
          tf.constant(java.nio.charset.StandardCharsets.UTF_8, new String[] {""}), List.of(tf.constant(centroids.w())));
      var save1 = tf.train.save(tf.constant(part1), tf.constant(java.nio.charset.StandardCharsets.UTF_8, new String[] {"dense_bias"}),
          tf.constant(java.nio.charset.StandardCharsets.UTF_8, new String[] {""}), List.of(tf.constant(centroids.b())));
      s.runner().addTarget(save0).addTarget(save1).run();
      var merge = tf.train.mergeV2Checkpoints(tf.constant(java.nio.charset.StandardCharsets.UTF_8, new String[] {part0, part1}),
          tf.constant(prefix.toString()));
      s.runner().addTarget(merge).run();
    }
  }

  private static TensorShapeProto.Dim dim(long size) {
    return TensorShapeProto.Dim.newBuilder().setSize(size).build();
  }

  static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
