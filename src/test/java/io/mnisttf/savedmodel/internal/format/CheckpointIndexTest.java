package io.mnisttf.savedmodel.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.testing.TestModel;

class CheckpointIndexTest {
  @TempDir Path tmp;

  @Test
  void readsPythonCheckpoints() throws Exception {
    CheckpointIndex index = CheckpointIndex.read(CheckpointIndex.indexFile(
        Fixtures.pythonModel("keras3-export-mlp-tf218")));
    assertEquals(1, index.shards());
    assertEquals(14, index.entries().size());
    assertEquals(13, index.variables().size(), "the object graph is not a variable");
    CheckpointIndex.Entry kernel = index.entries().stream()
        .filter(e -> e.name().equals("variables/0/.ATTRIBUTES/VARIABLE_VALUE")).findFirst().orElseThrow();
    assertEquals(DataType.DT_FLOAT, kernel.dtype());
    assertTrue(Arrays.equals(new long[] {784, 256}, kernel.dims()));
    assertEquals(784 * 256 * 4, kernel.size());
    long dataBytes = Files.size(Fixtures.pythonModel("keras3-export-mlp-tf218")
        .resolve("variables/variables.data-00000-of-00001"));
    assertEquals(dataBytes, index.entries().stream().mapToLong(CheckpointIndex.Entry::size).sum(),
        "the entries tile the data file exactly");
  }

  @Test
  void readsOurExport() throws Exception {
    Path dir = TestModel.linear().export(tmp.resolve("m"));
    CheckpointIndex index = CheckpointIndex.read(CheckpointIndex.indexFile(dir));
    Map<String, CheckpointIndex.Entry> byName = new java.util.HashMap<>();
    index.entries().forEach(e -> byName.put(e.name(), e));
    assertEquals(2, byName.size());
    assertEquals(784 * 10 * 4, byName.get("dense_kernel").size());
    assertEquals(40, byName.get("dense_bias").size());
    index.verifyDataFiles(dir.resolve("variables").resolve("variables"));
  }

  @Test
  void detectsCorruptionByChecksum() throws Exception {
    Path dir = TestModel.linear().export(tmp.resolve("m"));
    Path file = CheckpointIndex.indexFile(dir);
    byte[] bytes = Files.readAllBytes(file);
    bytes[2] ^= 0x10; // inside the first data block
    Files.write(file, bytes);
    var e = assertThrows(SavedModelException.class, () -> CheckpointIndex.read(file));
    assertTrue(e.getMessage().startsWith(file + ": corrupt checkpoint index (checksum mismatch"), e.getMessage());
  }

  @Test
  void rejectsFilesThatAreNotTables() throws Exception {
    Path file = Files.writeString(tmp.resolve("variables.index"), "x".repeat(100));
    var e = assertThrows(SavedModelException.class, () -> CheckpointIndex.read(file));
    assertTrue(e.getMessage().contains("table magic 0xdb4775248b80fb57 expected"), e.getMessage());
    Files.writeString(file, "short");
    e = assertThrows(SavedModelException.class, () -> CheckpointIndex.read(file));
    assertTrue(e.getMessage().contains("5 bytes, a table footer alone takes 48"), e.getMessage());
  }
}
