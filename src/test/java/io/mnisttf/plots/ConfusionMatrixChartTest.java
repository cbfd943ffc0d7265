package io.mnisttf.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartRenderingInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfusionMatrixChartTest {
  @TempDir Path dir;

  /** Like a 97% model on the MNIST test set: 1124 correct 1s, a few dozen confusions, many zeros. */
  static int[][] counts() {
    int[][] c = new int[10][10];
    int[] correct = {970, 1124, 996, 980, 955, 858, 935, 995, 930, 967};
    for (int i = 0; i < 10; i++) {
      c[i][i] = correct[i];
    }
    c[2][8] = 23;
    c[8][3] = 26;
    c[4][9] = 15;
    c[9][4] = 22;
    c[1][7] = 5;
    c[0][6] = 1;
    return c;
  }

  /** The cell's colour, sampled near its top-left corner, away from the centred count. */
  private static Color cell(BufferedImage image, Rectangle2D area, int trueLabel, int predicted) {
    double w = area.getWidth() / 10;
    double h = area.getHeight() / 10;
    return Pixels.at(image, (int) (area.getX() + (predicted + 0.12) * w),
        (int) (area.getY() + (trueLabel + 0.12) * h));
  }

  /** Pixels of the cell's central region for which {@code test} holds. */
  private static int centre(BufferedImage image, Rectangle2D area, int trueLabel, int predicted,
      java.util.function.DoublePredicate brightness) {
    double w = area.getWidth() / 10;
    double h = area.getHeight() / 10;
    int n = 0;
    for (int y = (int) (area.getY() + (trueLabel + 0.3) * h); y < area.getY() + (trueLabel + 0.7) * h; y++) {
      for (int x = (int) (area.getX() + (predicted + 0.2) * w); x < area.getX() + (predicted + 0.8) * w; x++) {
        n += brightness.test(Pixels.brightness(Pixels.at(image, x, y))) ? 1 : 0;
      }
    }
    return n;
  }

  @Test
  void heatmapShowsCountsWithContrast() throws IOException {
    Path file = dir.resolve(ConfusionMatrixChart.FILE_NAME);
    ConfusionMatrixChart.write(file, counts(), "test set");
    BufferedImage image = Pixels.readPng(file);
    assertEquals(ConfusionMatrixChart.WIDTH, image.getWidth());
    assertEquals(ConfusionMatrixChart.HEIGHT, image.getHeight());

    ChartRenderingInfo info = new ChartRenderingInfo();
    BufferedImage rendered = ConfusionMatrixChart.render(counts(), "test set", info);
    Rectangle2D area = info.getPlotInfo().getDataArea();
    assertTrue(area.getWidth() > 500 && area.getHeight() > 500, "cells large enough: " + area);

    double largest = Pixels.brightness(cell(rendered, area, 1, 1)); // 1124, the largest count
    double confusion = Pixels.brightness(cell(rendered, area, 8, 3)); // 26
    double single = Pixels.brightness(cell(rendered, area, 0, 6)); // 1
    Color empty = cell(rendered, area, 0, 1); // 0
    assertEquals(Color.WHITE, empty, "an empty cell is white");
    assertTrue(largest < 100, "largest count is dark: " + largest);
    assertTrue(largest < confusion && confusion < single && single < 255,
        "darker with more: " + largest + " < " + confusion + " < " + single + " < 255");
    // True label runs down: the 1124 is in the second row, so the first row's second cell is empty.
    assertTrue(centre(rendered, area, 1, 1, b -> b > 200) > 10, "white count on the dark cell");
    assertTrue(centre(rendered, area, 0, 6, b -> b < 80) > 10, "dark count on the pale cell");
    assertTrue(centre(rendered, area, 0, 1, b -> b < 200) > 5, "the 0 is written too");
  }

  @Test
  void accuracyIsTheDiagonalShare() {
    int[][] c = counts();
    long total = 0;
    for (int[] row : c) {
      for (int v : row) {
        total += v;
      }
    }
    assertEquals(9710.0 / total, ConfusionMatrixChart.accuracy(c), 1e-12);
    assertTrue(ConfusionMatrixChart.chart(c, null).getTitle().getText()
        .contains(String.format(java.util.Locale.ROOT, "%.2f%%", 100.0 * 9710 / total)));
  }

  @Test
  void perfectAndTinyMatricesRender() {
    BufferedImage image = ConfusionMatrixChart.render(new int[][] {{3, 0}, {0, 4}}, null);
    assertEquals(ConfusionMatrixChart.WIDTH, image.getWidth());
    assertTrue(Pixels.distinctColours(image) > 20);
  }

  @Test
  void rejectsMalformedCounts() {
    assertThrows(IllegalArgumentException.class, () -> ConfusionMatrixChart.render(new int[0][0], null));
    var e = assertThrows(IllegalArgumentException.class,
        () -> ConfusionMatrixChart.render(new int[][] {{1, 2}, {3}}, null));
    assertTrue(e.getMessage().contains("square"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ConfusionMatrixChart.render(new int[][] {{1, -2}, {3, 4}}, null));
    assertThrows(IllegalArgumentException.class, () -> ConfusionMatrixChart.render(new int[3][3], null));
  }
}
