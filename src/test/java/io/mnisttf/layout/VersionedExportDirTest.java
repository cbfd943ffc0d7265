package io.mnisttf.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionedExportDirTest {
  @TempDir Path base;

  private static VersionedExportDir.Writer writing(String content) {
    return folder -> Files.writeString(folder.resolve("model.txt"), content);
  }

  private List<String> entries() throws IOException {
    try (Stream<Path> s = Files.list(base)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".export.lock")).sorted().toList();
    }
  }

  @Test
  void publishesNumberedVersionsAndNeverTouchesEarlierOnes() throws IOException {
    VersionedExportDir dir = new VersionedExportDir(base);
    assertEquals(base.resolve("1"), dir.publish(writing("first")));
    byte[] first = Files.readAllBytes(base.resolve("1/model.txt"));
    assertEquals(base.resolve("2"), dir.publish(writing("second")));
    assertArrayEquals(first, Files.readAllBytes(base.resolve("1/model.txt")));
    assertEquals("second", Files.readString(base.resolve("2/model.txt")));
    assertEquals(List.of("1", "2"), entries());
  }

  @Test
  void nextVersionFollowsTheHighestAndIgnoresOtherNames() throws IOException {
    Files.createDirectories(base.resolve("7"));
    Files.createDirectories(base.resolve("notes"));
    Files.createDirectories(base.resolve("-3"));
    assertEquals(base.resolve("8"), new VersionedExportDir(base).publish(writing("x")));
    // TF Serving takes a file named 12 for version 12 (and fails to load it): a new export must come after it
    // to be served at all
    Files.writeString(base.resolve("12"), "a file");
    assertEquals(base.resolve("13"), new VersionedExportDir(base).publish(writing("y")));
  }

  @Test
  void createsTheBaseFolderButRefusesAFile() throws IOException {
    Path nested = base.resolve("a/b");
    assertEquals(nested.resolve("1"), new VersionedExportDir(nested).publish(writing("x")));
    Path file = Files.writeString(base.resolve("plain"), "x");
    IOException e = assertThrows(IOException.class, () -> new VersionedExportDir(file).publish(writing("y")));
    assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
  }

  @Test
  void aFailingWriterPublishesNothingAndLeavesNoTemporaryFolder() throws IOException {
    VersionedExportDir dir = new VersionedExportDir(base);
    dir.publish(writing("good"));
    IOException e = assertThrows(IOException.class, () -> dir.publish(folder -> {
      Files.writeString(folder.resolve("half.bin"), "half");
      throw new IOException("disk full");
    }));
    assertEquals("disk full", e.getMessage());
    assertEquals(List.of("1"), entries());
  }

  @Test
  void temporaryFoldersOfDeadProcessesAreRemovedOthersKept() throws IOException {
    long deadPid = ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid).max().orElse(1) + 100_000;
    Path dead = Files.createDirectories(base.resolve(".tmp-" + deadPid + "-abc/variables"));
    Path alive = Files.createDirectories(base.resolve(".tmp-" + ProcessHandle.current().pid() + "-def"));
    new VersionedExportDir(base).publish(writing("x"));
    assertFalse(Files.exists(dead.getParent()));
    assertTrue(Files.exists(alive));
  }

  @Test
  void concurrentPublishersGetDistinctVersions() throws Exception {
    VersionedExportDir dir = new VersionedExportDir(base);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Path>> futures = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String content = "model " + i;
        futures.add(pool.submit(() -> dir.publish(writing(content))));
      }
      Set<Path> versions = new HashSet<>();
      for (Future<Path> f : futures) {
        versions.add(f.get());
      }
      assertEquals(8, versions.size());
      assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8"),
          entries().stream().sorted((a, b) -> Integer.parseInt(a) - Integer.parseInt(b)).toList());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void versionNumbersAreReadAsTensorFlowServingReadsThem() {
    assertEquals(OptionalLong.of(12), VersionedExportDir.versionNumber("12"));
    assertEquals(OptionalLong.of(0), VersionedExportDir.versionNumber("0"));
    assertEquals(OptionalLong.of(7), VersionedExportDir.versionNumber("007"));
    assertEquals(OptionalLong.of(-1), VersionedExportDir.versionNumber("-1"));
    assertEquals(OptionalLong.of(3), VersionedExportDir.versionNumber(" 3\t"));
    assertEquals(OptionalLong.of(Long.MAX_VALUE), VersionedExportDir.versionNumber("9223372036854775807"));
    for (String no : List.of("", " ", "-", "+1", "1a", "1 2", ".tmp-1-2", "--1", "9223372036854775808",
        "\u0663")) { // the last: an Arabic-Indic digit, which Java's parser would take
      assertEquals(OptionalLong.empty(), VersionedExportDir.versionNumber(no), no);
    }
  }

  @Test
  void theServedVersionIsTheHighestNumberWhateverItHolds() throws IOException {
    Path root = Files.createDirectories(base.resolve("m"));
    assertEquals(Optional.empty(), VersionedExportDir.servedVersion(root));
    Files.createDirectories(root.resolve("9"));
    Files.createDirectories(root.resolve(".tmp-20-1"));
    Files.createDirectories(root.resolve("10"));
    Files.createDirectories(root.resolve("010"));
    Files.createDirectories(root.resolve("-20"));
    assertEquals(Optional.of(root.resolve("10")), VersionedExportDir.servedVersion(root), "010 sorts first");
    Files.writeString(root.resolve("11"), "a file");
    assertEquals(Optional.of(root.resolve("11")), VersionedExportDir.servedVersion(root));
    assertEquals(Path.of("12"), new VersionedExportDir(root).publish(dir -> { }).getFileName(),
        "the next export comes after it");
  }

  @Test
  void onlyNegativeOrZeroVersionsStartAtOne() throws IOException {
    Path root = Files.createDirectories(base.resolve("z"));
    Files.createDirectories(root.resolve("0"));
    Files.createDirectories(root.resolve("-3"));
    assertEquals(Path.of("1"), new VersionedExportDir(root).publish(dir -> { }).getFileName());
  }
}
