package io.mnisttf.compat.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.compat.VersionVerdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompatCheckTest {
  /** The harness is compiled with the tests (src/compat/java), never into the jar's classes. */
  @Test
  void theHarnessIsNotPartOfTheShippedClasses() throws Exception {
    Path location = Path.of(CompatCheck.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertEquals("test-classes", location.getFileName().toString(), location.toString());
  }

  @Test
  void modelsAreNamedOrTakenFromAFolder(@TempDir Path tmp) throws Exception {
    for (String name : List.of("b-model", "a-model")) {
      Files.write(Files.createDirectories(tmp.resolve("fixtures").resolve(name)).resolve("saved_model.pb"), new byte[0]);
    }
    Files.createDirectories(tmp.resolve("fixtures").resolve("not-a-model"));
    Map<String, Path> models = CompatCheck.models("ours=" + tmp.resolve("x/1") + "," + tmp.resolve("plain") + ","
        + tmp.resolve("fixtures") + "/*");
    assertEquals(List.of("ours", "plain", "a-model", "b-model"), List.copyOf(models.keySet()));
    assertEquals(tmp.resolve("fixtures").resolve("a-model"), models.get("a-model"));
  }

  @Test
  void theTableMarksEveryRuntimeWhereTheVerdictAndTheRealLoadOrItsLogDisagree() {
    Map<String, String> perVersion = new LinkedHashMap<>();
    List.of("1.15", "2.4", "2.7", "2.10", "2.16", "2.18").forEach(v -> perVersion.put(v, "ok"));
    perVersion.put("1.15", "op X unknown");
    VersionVerdict verdict = new VersionVerdict(perVersion, Map.of());
    List<LiveCheck.Result> live = List.of(
        new LiveCheck.Result("1.15", "load: Op type not registered 'X'", Double.NaN, Double.NaN, false, false),
        new LiveCheck.Result("2.4", "load: NodeDef mentions attr 'y'", Double.NaN, Double.NaN, false, false),
        new LiveCheck.Result("2.7", null, 0.97, 2e-5, true, true),
        new LiveCheck.Result("2.10", null, 0.97, 1e-6, true, false),
        new LiveCheck.Result("2.16", null, 0.97, 0, true, false),
        new LiveCheck.Result("2.18", null, 0.97, 0, true, false));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int wrong = CompatCheck.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), "m", Path.of("m"), live,
        verdict);
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(2, wrong, out);
    assertTrue(out.contains("| 2.4 | no: load: NodeDef mentions attr 'y' | - | - | - | no | NO (ok) |"), out);
    assertTrue(out.contains("| 2.7 | yes, but differs | 0.9700 | 2.0e-05 | yes | yes | NO (ok) |"),
        () -> "logged an unknown attr the verdict did not expect: " + out);
    assertTrue(out.contains("| 2.10 | yes | 0.9700 | 1.0e-06 | yes | no | yes |"), out);
    assertTrue(out.contains("| 1.15 | no: load: Op type not registered 'X' | - | - | - | no | yes |"), out);
  }
}
