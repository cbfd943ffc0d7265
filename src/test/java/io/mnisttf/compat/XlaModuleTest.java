package io.mnisttf.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;

/**
 * JAX computations in a graph, against what each runtime's XLA is known to run (TF 2.18: XlaCallModule up to
 * version 9, StableHLO up to 1.8.x, as measured live on a Keras 3 JAX export of JAX 0.10).
 */
class XlaModuleTest {
  /** An XlaCallModule node as JAX writes it: the module is MLIR bytecode whose producer names the StableHLO version. */
  static NodeDef xlaCallModule(long version, String stableHlo, String... platforms) {
    ByteArrayOutputStream module = new ByteArrayOutputStream();
    module.writeBytes(new byte[] {'M', 'L', (byte) 0xef, 'R', 0x0d});
    module.writeBytes(("StableHLO_v" + stableHlo).getBytes(StandardCharsets.US_ASCII));
    module.writeBytes(new byte[] {0, 1, 0x41, 5, 1, 5, 0x31});
    AttrValue.ListValue.Builder list = AttrValue.ListValue.newBuilder();
    for (String p : platforms) {
      list.addS(ByteString.copyFromUtf8(p));
    }
    return NodeDef.newBuilder().setName("XlaCallModule").setOp("XlaCallModule")
        .putAttr("version", AttrValue.newBuilder().setI(version).build())
        .putAttr("module", AttrValue.newBuilder().setS(ByteString.copyFrom(module.toByteArray())).build())
        .putAttr("platforms", AttrValue.newBuilder().setList(list).build())
        .putAttr("Sout", AttrValue.newBuilder().setList(AttrValue.ListValue.getDefaultInstance()).build())
        .putAttr("Tin", AttrValue.newBuilder().setList(AttrValue.ListValue.getDefaultInstance()).build())
        .putAttr("Tout", AttrValue.newBuilder().setList(AttrValue.ListValue.getDefaultInstance()).build()).build();
  }

  static GraphDef inFunction(NodeDef node) {
    return GraphDef.newBuilder().setLibrary(FunctionDefLibrary.newBuilder().addFunction(FunctionDef.newBuilder()
        .setSignature(OpDef.newBuilder().setName("__inference_serve_10")).addNodeDef(node))).build();
  }

  private static final TfRuntime TF_2_18 = TfRuntime.CURRENT;

  @Test
  void readsTheVersionsAJaxExportRecords() {
    List<XlaModule> modules = XlaModule.of(inFunction(xlaCallModule(10, "1.15.0", "CPU")));
    assertEquals(List.of(new XlaModule("__inference_serve_10/XlaCallModule", 10, "1.15.0", List.of("CPU"))), modules);
    assertEquals("XlaCallModule version 10, StableHLO v1.15.0, for CPU", modules.get(0).describe());
  }

  @Test
  void aNewerJaxExportIsBeyondTensorFlow218() {
    XlaModule jax010 = XlaModule.of(inFunction(xlaCallModule(10, "1.15.0", "CPU"))).get(0);
    assertEquals("XlaCallModule version 10, 2.18 runs up to 9; StableHLO v1.15.0, 2.18 reads up to v1.8",
        jax010.problem(TF_2_18));
    assertEquals("StableHLO v1.9.0, 2.18 reads up to v1.8",
        XlaModule.of(inFunction(xlaCallModule(9, "1.9.0", "CPU"))).get(0).problem(TF_2_18));
    assertNull(XlaModule.of(inFunction(xlaCallModule(9, "1.8.3", "CPU"))).get(0).problem(TF_2_18));
    assertEquals("lowered for CUDA only, not CPU",
        XlaModule.of(inFunction(xlaCallModule(9, "1.7.0", "CUDA"))).get(0).problem(TF_2_18));
  }

  @Test
  void theVerdictRefusesWhatTheRuntimeCannotRun() {
    VersionVerdict verdict = TensorFlowVersions.assess(inFunction(xlaCallModule(10, "1.15.0", "CPU")),
        OpRegistrySnapshot.load());
    assertTrue(verdict.perVersion().get("2.18").contains("its JAX/StableHLO module: XlaCallModule version 10, 2.18"
        + " runs up to 9"), verdict.summary());
    assertEquals(VersionVerdict.OK, TensorFlowVersions.assess(inFunction(xlaCallModule(9, "1.8.0", "CPU")),
        OpRegistrySnapshot.load()).perVersion().get("2.18"));
  }

  @Test
  void anOlderRuntimeWithoutKnownLimitsIsBoundedByTheNewerOnes() {
    // measured by the compat profile: TF 2.16 fails the JAX 0.10 fixture as 2.18 does ("Cannot deserialize
    // computation"); the verdict used to say "loads in 2.16"
    VersionVerdict verdict = TensorFlowVersions.assess(inFunction(xlaCallModule(10, "1.15.0", "CPU")),
        OpRegistrySnapshot.load());
    assertTrue(verdict.perVersion().get("2.16").contains("its JAX/StableHLO module: XlaCallModule version 10, 2.16"
        + " runs at most what 2.18 runs, up to 9; StableHLO v1.15.0, 2.16 reads at most what 2.18 reads, up to v1.8"),
        verdict.summary());
    XlaModule within = XlaModule.of(inFunction(xlaCallModule(9, "1.8.0", "CPU"))).get(0);
    assertNull(within.problem(TfRuntime.ALL.get(4)), "within 2.18's limits nothing is claimed for 2.16");
    assertNull(within.problem(new TfRuntime("9.9", "not in the list", true, 0, null)), "no bound outside the list");
  }

  @Test
  void versionsCompareNumberByNumber() {
    assertEquals(0, XlaModule.compare("1.8.3", "1.8"));
    assertTrue(XlaModule.compare("1.10.0", "1.8") > 0);
    assertTrue(XlaModule.compare("0.19.1", "1.8") < 0);
  }
}
