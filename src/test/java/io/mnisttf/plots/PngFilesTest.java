package io.mnisttf.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngFilesTest {
  @TempDir Path dir;

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void createsFoldersReplacesAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("plots/deeper/chart.png");
    BufferedImage small = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    small.setRGB(2, 1, 0xff0000);
    PngFiles.write(small, file);
    BufferedImage back = Pixels.readPng(file);
    assertEquals(3, back.getWidth());
    assertEquals(0xff0000, back.getRGB(2, 1) & 0xffffff);

    PngFiles.write(new BufferedImage(5, 4, BufferedImage.TYPE_INT_RGB), file);
    assertEquals(5, Pixels.readPng(file).getWidth());
    assertEquals(List.of("chart.png"), names(file.getParent()));
  }

  @Test
  void unwritableTargetIsReportedWithItsName() throws IOException {
    Path blocker = Files.writeString(dir.resolve("not-a-folder"), "x");
    Path file = blocker.resolve("chart.png");
    var e = assertThrows(IOException.class,
        () -> PngFiles.write(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertEquals(List.of("not-a-folder"), names(dir));
  }
}
