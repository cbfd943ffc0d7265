package io.mnisttf.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.runtime.RegisteredOps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.OpDef;

class OpRegistrySnapshotTest {
  @Test
  void holdsTheSixRuntimesOldestFirst() {
    List<OpRegistry> registries = OpRegistrySnapshot.load();
    assertEquals(TfRuntime.ALL, registries.stream().map(OpRegistry::runtime).toList());
    for (OpRegistry r : registries) {
      assertTrue(r.fullVersion().startsWith(r.runtime().version() + "."), r.fullVersion());
      assertTrue(r.ops().size() > 1000, r.runtime() + ": " + r.ops().size() + " ops");
    }
    assertEquals(List.of(134, 561, 898, 1205, 1766, 1994),
        registries.stream().map(OpRegistry::graphDefVersion).toList(), "TF_GRAPH_DEF_VERSION of each runtime");
    assertFalse(registries.get(0).ops().get("MatMul").attrs().containsKey("grad_a"), "TF 1.15's MatMul");
    assertFalse(registries.get(2).ops().containsKey("DisableCopyOnRead"), "TF 2.7");
    assertTrue(registries.get(3).ops().containsKey("DisableCopyOnRead"), "TF 2.10");
  }

  @Test
  void theCurrentRuntimesEntryIsWhatThisTensorFlowRegisters() {
    OpRegistry current = OpRegistrySnapshot.load().get(TfRuntime.ALL.size() - 1);
    assertEquals(RegisteredOps.names(), current.ops().keySet());
    for (String name : List.of("MatMul", "VarHandleOp", "StatefulPartitionedCall")) {
      OpDef live = RegisteredOps.get(name).orElseThrow();
      OpRegistry.Op snap = current.ops().get(name);
      assertEquals(live.getAttrCount(), snap.attrs().size(), name);
      for (OpDef.AttrDef a : live.getAttrList()) {
        OpRegistry.Attr s = snap.attrs().get(a.getName());
        assertEquals(a.getType(), s.type(), name + "." + a.getName());
        assertArrayEquals(a.hasDefaultValue() ? a.getDefaultValue().toByteArray() : null, s.defaultValue(),
            name + "." + a.getName());
      }
    }
    assertEquals(Set.of("T"), current.ops().get("MatMul").required());
  }

  @Test
  void writeThenReadGivesTheSameRegistries() throws Exception {
    List<OpRegistry> registries = OpRegistrySnapshot.load();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OpRegistrySnapshot.write(registries, out);
    List<OpRegistry> again = OpRegistrySnapshot.read(new ByteArrayInputStream(out.toByteArray()));
    for (int i = 0; i < registries.size(); i++) {
      assertEquals(registries.get(i).ops().keySet(), again.get(i).ops().keySet());
      assertEquals(registries.get(i).graphDefVersion(), again.get(i).graphDefVersion());
      assertEquals(registries.get(i).ops().get("MatMul").required(), again.get(i).ops().get("MatMul").required());
    }
  }
}
