package io.mnisttf.savedmodel.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.TextFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import io.mnisttf.savedmodel.ClassifierOptions;
import io.mnisttf.savedmodel.InputLayout;
import io.mnisttf.savedmodel.internal.runtime.InProcessClassifier;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.testing.TestData;
import io.mnisttf.testing.TestModel;

class SavedModelReaderTest {
  @TempDir Path tmp;

  @Test
  void servingBaseFolderResolvesToItsHighestVersion() throws Exception {
    Path base = tmp.resolve("mnist");
    TestModel.linear().export(base.resolve("2"));
    TestModel.linear().with(m -> m.inputShape = new long[] {-1, 784}).export(base.resolve("10"));
    Files.createDirectories(base.resolve(".tmp-11-1")); // a staging folder: not a version
    SavedModelFile file = SavedModelReader.read(base);
    assertEquals(base.resolve("10"), file.dir());
    try (InProcessClassifier c = InProcessClassifier.open(base, ClassifierOptions.DEFAULTS.withCalibrationSamples(100),
        TestData.train())) {
      assertEquals(InputLayout.FLAT, c.signature().layout());
    }
  }

  /** TF Serving would fail to serve version 11, not fall back to 10: evaluating 10 would mislead. */
  @Test
  void aHighestVersionWithoutAModelIsRefusedNotSkipped() throws Exception {
    Path base = tmp.resolve("mnist");
    TestModel.linear().export(base.resolve("10"));
    Files.createDirectories(base.resolve("11"));
    var e = assertThrows(SavedModelException.class, () -> SavedModelReader.read(base));
    assertEquals(base + ": version '11', the highest, which TF Serving would serve, is not a SavedModel folder: no"
        + " saved_model.pb in it (name a version folder to use another)", e.getMessage());
    assertEquals(base.resolve("10"), SavedModelReader.read(base.resolve("10")).dir());
  }

  @Test
  void readsTextFormat() throws Exception {
    Path dir = TestModel.linear().export(tmp.resolve("m"));
    SavedModel binary = SavedModel.parseFrom(Files.readAllBytes(dir.resolve("saved_model.pb")));
    Files.delete(dir.resolve("saved_model.pb"));
    Files.writeString(dir.resolve("saved_model.pbtxt"), TextFormat.printer().printToString(binary));
    SavedModelFile file = SavedModelReader.read(dir);
    assertEquals(binary, file.proto());
    assertEquals(dir.resolve("saved_model.pbtxt"), file.file());
  }

  @Test
  void sizeLimit() throws Exception {
    Path dir = TestModel.linear().export(tmp.resolve("m"));
    var e = assertThrows(SavedModelException.class, () -> SavedModelReader.read(dir, 1000));
    assertTrue(e.getMessage().contains("more than the limit of 1,000 bytes"), e.getMessage());
  }

  @Test
  void choosesTheServeMetaGraph() throws Exception {
    MetaGraphDef train = MetaGraphDef.newBuilder().setGraphDef(org.tensorflow.proto.GraphDef.getDefaultInstance())
        .setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder().addTags("train")).build();
    MetaGraphDef serveGpu = train.toBuilder().setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder()
        .addTags("serve").addTags("gpu")).build();
    MetaGraphDef serve = train.toBuilder().setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder().addTags("serve"))
        .build();
    Path pb = tmp.resolve("x.pb");
    SavedModelFile both = new SavedModelFile(tmp, pb, 1, SavedModel.newBuilder().addMetaGraphs(train)
        .addMetaGraphs(serveGpu).addMetaGraphs(serve).build());
    assertEquals(List.of("serve"), both.servingMetaGraph().getMetaInfoDef().getTagsList());
    SavedModelFile gpuOnly = new SavedModelFile(tmp, pb, 1, SavedModel.newBuilder().addMetaGraphs(train)
        .addMetaGraphs(serveGpu).build());
    assertEquals(List.of("serve", "gpu"), gpuOnly.servingMetaGraph().getMetaInfoDef().getTagsList());
    SavedModelFile trainOnly = new SavedModelFile(tmp, pb, 1, SavedModel.newBuilder().addMetaGraphs(train)
        .addMetaGraphs(train).build());
    var e = assertThrows(SavedModelException.class, trainOnly::servingMetaGraph);
    assertTrue(e.getMessage().contains("no MetaGraphDef tagged 'serve' among the tag sets 'train', 'train'"),
        e.getMessage());
  }
}
