package io.mnisttf.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.train.EpochMetrics;
import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.jfree.chart.ChartRenderingInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCurvesTest {
  @TempDir Path dir;

  /** A run that stopped early: val_loss best at epoch 4, no better for 2 epochs. */
  static final List<EpochMetrics> HISTORY = List.of(
      new EpochMetrics(1, 0.4012, 0.8861, 0.2031, 0.9412, 3.1),
      new EpochMetrics(2, 0.1801, 0.9471, 0.1512, 0.9561, 3.0),
      new EpochMetrics(3, 0.1343, 0.9603, 0.1204, 0.9642, 3.0),
      new EpochMetrics(4, 0.1067, 0.9681, 0.1012, 0.9701, 3.0),
      new EpochMetrics(5, 0.0874, 0.9737, 0.1071, 0.9688, 3.0),
      new EpochMetrics(6, 0.0731, 0.9779, 0.1093, 0.9695, 3.0));
  static final String CAPTION = "mnist-tf-java: 784-50-50-10, Adam lr 0.001, batch 100";

  private static final Predicate<Color> GREEN = c -> c.getGreen() - c.getRed() > 40 && c.getGreen() - c.getBlue() > 40;
  private static final Predicate<Color> RED = c -> c.getRed() - c.getGreen() > 80 && c.getRed() - c.getBlue() > 80;

  /** Share of the rows of a panel where a pixel within 2 px of the epoch's x position matches. */
  private static double columnShare(BufferedImage image, Rectangle2D area, double lower, double upper,
      int epoch, Predicate<Color> colour) {
    int x = (int) Math.round(area.getX() + (epoch - lower) / (upper - lower) * area.getWidth());
    int rows = 0;
    int hits = 0;
    for (int y = (int) area.getMinY() + 2; y < (int) area.getMaxY() - 2; y++) {
      rows++;
      for (int dx = -2; dx <= 2; dx++) {
        if (colour.test(Pixels.at(image, x + dx, y))) {
          hits++;
          break;
        }
      }
    }
    return (double) hits / rows;
  }

  @Test
  void writesBothPanelsWithSeriesAndMarkers() throws IOException {
    TrainingCurves curves = new TrainingCurves(HISTORY, 4, "val_loss", 6, CAPTION);
    Path file = dir.resolve("run/" + TrainingCurves.FILE_NAME);
    curves.write(file);
    BufferedImage image = Pixels.readPng(file);
    assertEquals(TrainingCurves.WIDTH, image.getWidth());
    assertEquals(TrainingCurves.HEIGHT, image.getHeight());
    assertTrue(Pixels.count(image, ChartStyle.TRAIN, 20) > 500, "training series drawn");
    assertTrue(Pixels.count(image, ChartStyle.VALIDATION, 20) > 300, "validation series drawn");

    ChartRenderingInfo info = new ChartRenderingInfo();
    BufferedImage rendered = curves.render(info);
    assertEquals(2, info.getPlotInfo().getSubplotCount());
    for (int panel = 0; panel < 2; panel++) {
      Rectangle2D area = info.getPlotInfo().getSubplotInfo(panel).getDataArea();
      assertTrue(area.getHeight() > 200, "panel " + panel + " height " + area.getHeight());
      assertTrue(columnShare(rendered, area, 0.7, 6.3, 4, GREEN) > 0.9, "best-epoch line at epoch 4");
      double stop = columnShare(rendered, area, 0.7, 6.3, 6, RED); // dashed: 6 px on, 4 px off
      assertTrue(stop > 0.45, "early-stop line at epoch 6: " + stop);
      assertTrue(columnShare(rendered, area, 0.7, 6.3, 2, GREEN) < 0.1, "no line at epoch 2");
      assertTrue(columnShare(rendered, area, 0.7, 6.3, 2, RED) < 0.1, "no stop line at epoch 2");
    }
  }

  @Test
  void legendNamesTheBestEpochAndTheStop() {
    TrainingCurves curves = new TrainingCurves(HISTORY, 4, "val_loss", 6, CAPTION);
    assertEquals("best epoch 4 (val_loss 0.1012)", curves.bestLabel());
    assertEquals("early stop after epoch 6", curves.stopLabel());
    var items = curves.chart().getPlot().getLegendItems();
    assertEquals(4, items.getItemCount());
    assertEquals("best epoch 4 (val_loss 0.1012)", items.get(2).getLabel());
    assertEquals(CAPTION, curves.chart().getTitle().getText());
    TrainingCurves byAccuracy = new TrainingCurves(HISTORY, 4, "val_accuracy", 0, null);
    assertEquals("best epoch 4 (val_accuracy 0.9701)", byAccuracy.bestLabel());
    assertNull(byAccuracy.stopLabel());
    assertEquals(3, byAccuracy.chart().getPlot().getLegendItems().getItemCount());
  }

  @Test
  void singleEpochRendersItsPoints() throws IOException {
    Path file = dir.resolve("one.png");
    new TrainingCurves(HISTORY.subList(0, 1), 1, "val_loss", 0, CAPTION).write(file);
    BufferedImage image = Pixels.readPng(file);
    assertEquals(TrainingCurves.WIDTH, image.getWidth());
    assertTrue(Pixels.count(image, ChartStyle.TRAIN, 20) > 60, "training points drawn");
    assertTrue(Pixels.count(image, ChartStyle.VALIDATION, 20) > 60, "validation points drawn");
    assertTrue(Pixels.distinctColours(image) > 50, "not a blank image");
  }

  @Test
  void runWithoutValidationOmitsThatSeries() {
    List<EpochMetrics> noValidation = List.of(new EpochMetrics(1, 0.5, 0.8, Double.NaN, Double.NaN, 1),
        new EpochMetrics(2, 0.3, 0.9, Double.NaN, Double.NaN, 1));
    TrainingCurves curves = new TrainingCurves(noValidation, 0, "val_loss", 0, "x");
    BufferedImage image = curves.render();
    assertTrue(Pixels.count(image, ChartStyle.TRAIN, 20) > 300);
    assertEquals(0, Pixels.count(image, ChartStyle.VALIDATION, 20));
    assertEquals(1, curves.chart().getPlot().getLegendItems().getItemCount());
  }

  @Test
  void rejectsWhatCannotBePlotted() {
    assertThrows(IllegalArgumentException.class, () -> new TrainingCurves(List.of(), 0, "val_loss", 0, "x"));
    var e = assertThrows(IllegalArgumentException.class,
        () -> new TrainingCurves(HISTORY, 7, "val_loss", 0, "x"));
    assertTrue(e.getMessage().contains("best epoch 7"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TrainingCurves(HISTORY, 4, "val_loss", 9, "x"));
    assertThrows(IllegalArgumentException.class, () -> new TrainingCurves(HISTORY, 4, "loss_val", 0, "x"));
  }
}
