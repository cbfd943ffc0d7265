package io.mnisttf.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  private List<Path> contents() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  @Test
  void replacesTheTargetAndLeavesNoTemporaryFile() throws IOException {
    Path target = dir.resolve("history.csv");
    AtomicFiles.writeString(target, "old\n");
    AtomicFiles.writeString(target, "new content\n");
    assertEquals("new content\n", Files.readString(target));
    assertEquals(List.of(target), contents());
  }

  @Test
  void aFailedReplacementKeepsTheOldStateAndCleansUp() throws IOException {
    Path target = dir.resolve("metrics.json");
    Files.createDirectory(target);
    Files.writeString(target.resolve("keep"), "x");
    var e = assertThrows(IOException.class, () -> AtomicFiles.writeString(target, "{}"));
    assertTrue(e.getMessage().startsWith(target.toString()), e.getMessage());
    assertTrue(Files.isDirectory(target));
    assertEquals("x", Files.readString(target.resolve("keep")));
    assertEquals(List.of(target), contents());
  }

  @Test
  void aMissingFolderIsReportedWithTheTarget() {
    Path target = dir.resolve("missing/config.json");
    var e = assertThrows(IOException.class, () -> AtomicFiles.writeString(target, "{}"));
    assertTrue(e.getMessage().startsWith(target.toString()), e.getMessage());
  }
}
