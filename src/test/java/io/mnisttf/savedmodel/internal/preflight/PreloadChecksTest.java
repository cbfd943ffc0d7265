package io.mnisttf.savedmodel.internal.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.mnisttf.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import io.mnisttf.savedmodel.internal.format.CheckpointIndex;
import io.mnisttf.savedmodel.internal.format.CheckpointIndexEditor;
import io.mnisttf.savedmodel.ClassifierOptions;
import io.mnisttf.savedmodel.internal.runtime.InProcessClassifier;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.testing.TestData;
import io.mnisttf.testing.TestModel;

/**
 * The malformations that used to abort TensorFlow (or hide a dangerous op) are refused by the pre-load scan
 * with a precise line: list-length attrs, constant shapes, function cycles, ops named by function-valued
 * attrs, MergeV2Checkpoints, checkpoint entries that do not fit their variables.
 */
class PreloadChecksTest {
  @TempDir static Path shared;
  private static Path template;
  @TempDir Path tmp;
  private int copies;

  @BeforeAll
  static void exportOnce() throws IOException {
    template = TestModel.ours().export(shared.resolve("ours"));
  }

  /** A fresh copy of the export-like model, changed. */
  private Path ours(UnaryOperator<SavedModel.Builder> change) throws IOException {
    Path dir = tmp.resolve("m" + copies++);
    try (Stream<Path> files = Files.walk(template)) {
      for (Path p : files.sorted().toList()) {
        Path target = dir.resolve(template.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    TestModel.edit(dir, change);
    return dir;
  }

  private static String refusal(Path dir) {
    SavedModelException e = assertThrows(SavedModelException.class, () -> PreloadReport.of(dir, ClassifierOptions.DEFAULTS).requireLoadable());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e.getMessage();
  }

  private static void assertContains(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), "'" + part + "' expected in: " + message);
    }
  }

  private static GraphDef.Builder graph(SavedModel.Builder b) {
    return b.getMetaGraphsBuilder(0).getGraphDefBuilder();
  }

  private static NodeDef.Builder constant(String name, TensorProto value) {
    return NodeDef.newBuilder().setName(name).setOp("Const")
        .putAttr("dtype", AttrValue.newBuilder().setType(value.getDtype()).build())
        .putAttr("value", AttrValue.newBuilder().setTensor(value).build());
  }

  private static TensorShapeProto shape(long... dims) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (long d : dims) {
      s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return s.build();
  }

  /** A function holding one node, as a saver function would. */
  private static FunctionDef function(String name, NodeDef... nodes) {
    FunctionDef.Builder f = FunctionDef.newBuilder().setSignature(OpDef.newBuilder().setName(name));
    for (NodeDef n : nodes) {
      f.addNodeDef(n);
    }
    return f.build();
  }

  @Test
  void ourExportAndThePythonFixturesPass() throws Exception {
    PreloadReport.of(template, ClassifierOptions.DEFAULTS).requireLoadable();
    for (String name : Fixtures.COMMITTED_SCORABLE) {
      PreloadReport.of(Fixtures.pythonModel(name), ClassifierOptions.DEFAULTS).requireLoadable();
    }
  }

  @Test
  void hugeListLengthInAnUnusedFunctionIsRefused() throws IOException {
    NodeDef pack = NodeDef.newBuilder().setName("pack").setOp("Pack").addInput("x").addInput("y")
        .putAttr("N", AttrValue.newBuilder().setI(1L << 40).build())
        .putAttr("T", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build()).build();
    Path dir = ours(b -> {
      graph(b).getLibraryBuilder().addFunction(function("saver_fn", pack));
      return b;
    });
    assertContains(refusal(dir), "refused before loading: function 'saver_fn' node 'pack' (Pack)", "attr 'N'",
        "more than the 65536 accepted");
  }

  @Test
  void listLengthDisagreeingWithTheInputsIsRefused() throws IOException {
    NodeDef pack = NodeDef.newBuilder().setName("pack").setOp("Pack").addInput("x").addInput("y")
        .putAttr("N", AttrValue.newBuilder().setI(3).build())
        .putAttr("T", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build()).build();
    NodeDef negative = pack.toBuilder().putAttr("N", AttrValue.newBuilder().setI(-5).build()).build();
    Path dir = ours(b -> {
      graph(b).getLibraryBuilder().addFunction(function("f", pack));
      return b;
    });
    assertContains(refusal(dir), "node 'pack' (Pack) has 2 data input(s), but its op definition and attrs declare 3");
    Path other = ours(b -> {
      graph(b).getLibraryBuilder().addFunction(function("f", negative));
      return b;
    });
    assertContains(refusal(other), "attr 'N' = -5, less than its minimum 1");
  }

  @Test
  void constantShapesAreChecked() throws IOException {
    TensorProto overflow = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(1L << 40, 1L << 40))
        .addFloatVal(1f).build();
    assertContains(refusal(ours(b -> {
      graph(b).addNode(constant("c", overflow));
      return b;
    })), "node 'c' (Const) attr 'value' holds a tensor of shape [1099511627776,1099511627776], whose element count"
        + " passes 2^63");

    TensorProto strings = TensorProto.newBuilder().setDtype(DataType.DT_STRING).setTensorShape(shape(1L << 20, 1L << 31))
        .addStringVal(ByteString.copyFromUtf8("x")).build();
    Path dir = ours(b -> {
      graph(b).getLibraryBuilder().addFunction(function("restore", constant("names", strings).build()));
      return b;
    });
    assertContains(refusal(dir), "function 'restore' node 'names' (Const)", "larger than the 1,073,741,824 bytes");

    Path negative = ours(b -> {
      graph(b).addNode(constant("c", TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(3, -2))
          .build()));
      return b;
    });
    assertContains(refusal(negative), "negative dimension -2 in [3,-2]");

    Path content = ours(b -> {
      graph(b).addNode(constant("c", TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(4))
          .setTensorContent(ByteString.copyFrom(new byte[12])).build()));
      return b;
    });
    assertContains(refusal(content), "with 12 bytes of content, 16 expected");
  }

  @Test
  void functionCallingItselfIsRefused() throws IOException {
    NodeDef callB = NodeDef.newBuilder().setName("call").setOp("StatefulPartitionedCall")
        .putAttr("f", AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName("b")).build()).build();
    NodeDef callA = NodeDef.newBuilder().setName("again").setOp("a").build();
    Path dir = ours(b -> {
      graph(b).getLibraryBuilder().addFunction(function("a", callB)).addFunction(function("b", callA));
      return b;
    });
    assertContains(refusal(dir), "function 'a' calls itself (a -> b -> a)");
  }

  @Test
  void functionValuedAttrNamingADeniedOpIsUnsafe() throws IOException {
    NodeDef call = NodeDef.newBuilder().setName("call").setOp("PartitionedCall")
        .putAttr("f", AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName("ReadFile")).build()).build();
    Path dir = ours(b -> {
      graph(b).addNode(call);
      return b;
    });
    assertContains(refusal(dir), "ReadFile (reads files: node 'call' (called through a function-valued attr))");
  }

  @Test
  void mergeV2CheckpointsIsDeniedOutsideTheSaver() throws IOException {
    NodeDef merge = NodeDef.newBuilder().setName("merge").setOp("MergeV2Checkpoints").addInput("a").addInput("b").build();
    Path dir = ours(b -> {
      graph(b).addNode(merge);
      b.getMetaGraphsBuilder(0).putCollectionDef("saved_model_main_op", org.tensorflow.proto.CollectionDef.newBuilder()
          .setNodeList(org.tensorflow.proto.CollectionDef.NodeList.newBuilder().addValue("merge")).build());
      return b;
    });
    assertContains(refusal(dir), "MergeV2Checkpoints (writes files: node 'merge')");
    assertEquals("writes files", DeniedOps.reason("MergeV2Checkpoints"));
  }

  @Test
  void checkpointEntryOfAnotherShapeThanItsVariableIsRefused() throws IOException {
    Path dir = ours(b -> {
      GraphDef.Builder g = graph(b);
      for (int i = 0; i < g.getNodeCount(); i++) {
        if (g.getNode(i).getName().equals("dense_3_bias")) {
          g.setNode(i, g.getNode(i).toBuilder().putAttr("shape", AttrValue.newBuilder().setShape(shape()).build()));
        }
      }
      return b;
    });
    assertContains(refusal(dir), "variables.index: entry 'dense_3_bias' has shape [10] but variable 'dense_3_bias'"
        + " has shape []");
  }

  @Test
  void kerasCheckpointEntryOfAnotherShapeThanItsVariableIsRefused() throws IOException {
    Path fixture = Fixtures.pythonModel("keras2-mlp-200-60-tf212");
    Path dir = tmp.resolve("keras");
    try (Stream<Path> files = Files.walk(fixture)) {
      for (Path p : files.sorted().toList()) {
        Path target = dir.resolve(fixture.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    TestModel.edit(dir, b -> {
      GraphDef.Builder g = graph(b);
      for (int i = 0; i < g.getNodeCount(); i++) {
        if (g.getNode(i).getName().equals("dense/bias")) {
          g.setNode(i, g.getNode(i).toBuilder().putAttr("shape", AttrValue.newBuilder().setShape(shape()).build()));
        }
      }
      return b;
    });
    assertContains(refusal(dir), "variables.index: entry 'layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE' has"
        + " shape [200] but variable 'dense/bias' has shape [] (restored by function '__inference__traced_restore_");
  }

  @Test
  void rewrittenCheckpointIndexLoadsAndAMismatchedEntryIsRefused() throws Exception {
    Path same = ours(b -> b);
    Path index = CheckpointIndex.indexFile(same);
    assertTrue(CheckpointIndexEditor.edit(index, "dense_3_bias", e -> e));
    try (InProcessClassifier c = InProcessClassifier.open(same, ClassifierOptions.DEFAULTS.withCalibrationSamples(100),
        TestData.train())) {
      assertEquals("serving_default", c.signature().key(), "TensorFlow reads the rewritten index");
    }
    Path scalar = ours(b -> b);
    assertTrue(CheckpointIndexEditor.edit(CheckpointIndex.indexFile(scalar), "dense_3_bias",
        e -> e.toBuilder().setShape(shape()).build()));
    assertContains(refusal(scalar), "variables.index: entry 'dense_3_bias' has shape [] but variable 'dense_3_bias'"
        + " has shape [10]");
  }
}
