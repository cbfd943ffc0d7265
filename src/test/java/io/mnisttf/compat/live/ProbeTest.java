package io.mnisttf.compat.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mnisttf.compat.OpRegistry;
import io.mnisttf.compat.OpRegistrySnapshot;
import io.mnisttf.compat.TfRuntime;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
