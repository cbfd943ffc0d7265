package io.mnisttf.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportContractTest {
  @TempDir Path tmp;

  private static ExportContract sample() {
    return new ExportContract(ExportContract.VERSION, "serving_default", "images", "unit", "probabilities",
        "classes", List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), Map.of("test_accuracy", 0.9666),
        Map.of("t10k-images-idx3-ubyte.gz", "ab12"), "mnist-tf-java test");
  }

  @Test
  void roundTrips() throws Exception {
    sample().write(tmp);
    assertTrue(Files.isRegularFile(tmp.resolve("assets.extra").resolve("mnist-tf-java.json")));
    assertEquals(sample(), ExportContract.read(tmp).orElseThrow());
  }

  @Test
  void absentIsEmpty() throws Exception {
    assertTrue(ExportContract.read(tmp).isEmpty());
  }

  @Test
  void malformedOrUnknownVersionIsAnErrorNamingTheFile() throws Exception {
    Path file = Files.createDirectories(tmp.resolve("assets.extra")).resolve("mnist-tf-java.json");
    Files.writeString(file, "{\"version\": 1, \"signature\": ");
    var e = assertThrows(java.io.IOException.class, () -> ExportContract.read(tmp));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    Files.writeString(file, "{\"version\": 7, \"signature\": \"s\", \"input\": \"i\", \"inputScale\": \"unit\","
        + " \"probabilities\": \"p\", \"classNames\": [], \"metrics\": {}, \"dataSha256\": {}}");
    e = assertThrows(java.io.IOException.class, () -> ExportContract.read(tmp));
    assertTrue(e.getMessage().contains("version 7"), e.getMessage());
  }
}
