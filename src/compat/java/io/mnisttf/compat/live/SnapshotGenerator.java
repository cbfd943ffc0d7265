package io.mnisttf.compat.live;

import io.mnisttf.compat.OpRegistry;
import io.mnisttf.compat.OpRegistrySnapshot;
import io.mnisttf.compat.TfRuntime;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.OpList;

/**
 * Makes the committed op-registry snapshot ({@link OpRegistrySnapshot}) from the runtimes themselves: each
 * runtime's {@link RuntimeProbe} writes its registered {@code OpList} and an empty graph's {@code GraphDef}
 * (for {@code TF_GRAPH_DEF_VERSION}); this keeps each op's name and its attrs' names, types and defaults.
 */
final class SnapshotGenerator {
  private SnapshotGenerator() {}

  /** Probes every runtime under {@code runtimes} and writes the snapshot to {@code target}. */
  static List<OpRegistry> generate(Path runtimes, Path work, Path target) throws IOException, InterruptedException {
    List<OpRegistry> registries = new ArrayList<>();
    for (TfRuntime runtime : TfRuntime.ALL) {
      Path dir = work.resolve("registry-" + runtime.folderName());
      ProbeProcess.Outcome outcome = new ProbeProcess(runtimes.resolve(runtime.folderName()))
          .run(dir, "registry", dir.toString());
      if (!outcome.status().startsWith("ok ")) {
        throw new IOException(runtime.folderName() + ": " + outcome.status());
      }
      registries.add(registry(runtime, dir));
    }
    Files.createDirectories(target.toAbsolutePath().getParent());
    Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), ".snapshot", ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      OpRegistrySnapshot.write(registries, out);
    }
    Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return registries;
  }

  /** Reads what the probe wrote into {@code dir}. */
  static OpRegistry registry(TfRuntime runtime, Path dir) throws IOException {
    String version = Files.readString(dir.resolve("version.txt")).strip();
    if (!version.startsWith(runtime.version() + ".")) {
      throw new IOException(dir + ": TensorFlow " + runtime.version() + " expected, the runtime says " + version);
    }
    OpList ops = OpList.parseFrom(Files.readAllBytes(dir.resolve("ops.pb")));
    GraphDef empty = GraphDef.parseFrom(Files.readAllBytes(dir.resolve("empty-graph.pb")));
    Map<String, OpRegistry.Op> byName = new LinkedHashMap<>();
    for (OpDef op : ops.getOpList()) {
      Map<String, OpRegistry.Attr> attrs = new LinkedHashMap<>();
      for (OpDef.AttrDef a : op.getAttrList()) {
        attrs.put(a.getName(), new OpRegistry.Attr(a.getName(), a.getType(),
            a.hasDefaultValue() ? a.getDefaultValue().toByteArray() : null));
      }
      byName.put(op.getName(), new OpRegistry.Op(op.getName(), attrs));
    }
    return new OpRegistry(runtime, version, empty.getVersions().getProducer(), byName);
  }
}
