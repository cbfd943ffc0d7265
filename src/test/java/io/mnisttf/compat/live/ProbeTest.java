package io.mnisttf.compat.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mnisttf.compat.OpRegistry;
import io.mnisttf.compat.OpRegistrySnapshot;
import io.mnisttf.compat.TfRuntime;
import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import io.mnisttf.savedmodel.ModelSignature;
import io.mnisttf.savedmodel.internal.format.SavedModelFile;
import io.mnisttf.savedmodel.internal.format.SavedModelReader;
import io.mnisttf.savedmodel.internal.signature.SignatureSelector;
import io.mnisttf.testing.Fixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** The live check's pieces that run without the old runtimes: the probe on this runtime, the comparison. */
class ProbeTest {
  @Test
  void theProbeReadsThisRuntimesRegistryThroughReflection(@TempDir Path tmp) throws Exception {
    RuntimeProbe.main(new String[] {"registry", tmp.toString()});
    OpRegistry probed = SnapshotGenerator.registry(TfRuntime.CURRENT, tmp);
    OpRegistry committed = OpRegistrySnapshot.load().get(TfRuntime.ALL.size() - 1);
    assertEquals(committed.ops().keySet(), probed.ops().keySet());
    assertEquals(committed.graphDefVersion(), probed.graphDefVersion());
    assertEquals(committed.fullVersion(), probed.fullVersion());
  }

  @Test
  void theProbeRunsAModelThroughReflectionAsTfJavaDoes(@TempDir Path tmp) throws Exception {
    SavedModelFile file = SavedModelReader.read(Fixtures.pythonModel("keras2-mlp-200-60-tf212"));
    ModelSignature signature = SignatureSelector.select(file.dir(), file.servingMetaGraph(), null);
    int n = 3;
    MnistData test = Mnist.loadTest(Mnist.DEFAULT_DIR).first(n);
    float[] pixels = new float[n * MnistData.PIXELS];
    for (int i = 0; i < n; i++) {
      test.copyScaled(i, pixels, i * MnistData.PIXELS);
    }
    ByteBuffer bytes = ByteBuffer.allocate(pixels.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(pixels);
    Path images = Files.write(tmp.resolve("images.f32"), bytes.array());
    Path out = tmp.resolve("out.f32");
    RuntimeProbe.main(new String[] {"run", file.dir().toString(), signature.input().name(), "28,28",
        signature.output().name(), "10", images.toString(), Integer.toString(n), out.toString()});
    float[] probed = new float[n * 10];
    ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(probed);
    float[] expected = new float[n * 10];
    try (SavedModelBundle bundle = SavedModelBundle.load(file.dir().toString(), "serve");
        TFloat32 x = TFloat32.tensorOf(Shape.of(n, 28, 28), DataBuffers.of(pixels));
        Result result = bundle.session().runner().feed(signature.input().name(), x)
            .fetch(signature.output().name()).run()) {
      ((TFloat32) result.get(0)).asRawTensor().data().asFloats().read(expected);
    }
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], probed[i], 0f, "output " + i);
    }
  }

  @Test
  void logitsAreComparedAsProbabilities() {
    float[][] outputs = {{0, 0, 0, 0, 0, 0, 0, 0, 0, (float) Math.log(2)}, null};
    LiveCheck.toProbabilities(outputs);
    assertEquals(2 / 11.0, outputs[0][9], 1e-6);
    assertEquals(1 / 11.0, outputs[0][0], 1e-6);
    float[][] probabilities = {{0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f}};
    LiveCheck.toProbabilities(probabilities);
    assertEquals(0.1f, probabilities[0][9]);
  }
}
