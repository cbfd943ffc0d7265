package io.mnisttf.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFoldersTest {
  private static final LocalDateTime TIME = LocalDateTime.of(2026, 1, 2, 3, 4, 5);

  @TempDir Path root;

  @Test
  void folderNameIsTheLocalTimeStamp() throws IOException {
    assertEquals(root.resolve("runs/20260102-030405"), RunFolders.createUnique(root.resolve("runs"), TIME));
    assertTrue(Files.isDirectory(root.resolve("runs/20260102-030405")));
  }

  @Test
  void concurrentRunsInTheSameSecondGetDistinctFolders() throws Exception {
    int runs = 8;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Path>> futures = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        futures.add(pool.submit((Callable<Path>) () -> RunFolders.createUnique(root, TIME)));
      }
      HashSet<Path> dirs = new HashSet<>();
      for (Future<Path> f : futures) {
        dirs.add(f.get());
      }
      assertEquals(runs, dirs.size());
      assertTrue(dirs.contains(root.resolve("20260102-030405")));
      assertTrue(dirs.contains(root.resolve("20260102-030405-" + runs)));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anExistingExactFolderIsRefused() throws IOException {
    Path dir = Files.createDirectory(root.resolve("taken"));
    var e = assertThrows(FileAlreadyExistsException.class, () -> RunFolders.createNew(dir));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
  }
}
