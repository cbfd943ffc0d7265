package io.mnisttf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(TrainedExport.class)
class EvaluatePlotsTest {
  @TempDir Path tmp;

  @Test
  void writesTheHeatmapAndTheMisclassifiedGrid(TrainedExport.Model model) throws IOException {
    Path plots = tmp.resolve("plots");
    CliRun run = CliRun.of("evaluate", "--model", model.dir().toString(), "--plots", plots.toString(),
        "--json");
    assertEquals(0, run.exitCode(), run.toString());
    JsonObject json = run.json();
    assertEquals(2, json.getAsJsonArray("plots").size());
    BufferedImage heatmap = ImageIO.read(plots.resolve("confusion-matrix.png").toFile());
    BufferedImage grid = ImageIO.read(plots.resolve("misclassified.png").toFile());
    assertTrue(heatmap.getWidth() >= 600 && heatmap.getHeight() >= 600, "readable heatmap");
    assertTrue(grid.getWidth() >= 400, "readable grid");
    assertTrue(run.err().contains("Plots: " + plots.resolve("confusion-matrix.png")), run.err());
  }
}
