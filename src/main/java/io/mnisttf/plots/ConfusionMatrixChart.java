package io.mnisttf.plots;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.Locale;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * A confusion matrix as a heatmap PNG: true label down the side (0 at the top), predicted label along the
 * bottom, each cell coloured by its count on a logarithmic white-to-dark-blue scale (0 is white) and
 * labelled with the count in black or white, whichever contrasts better. A colour bar explains the scale;
 * the title gives the overall accuracy (the diagonal's share of all counts).
 *
 * <p>Rendering is headless ({@code java.awt.headless} is set to true unless already set).
 */
public final class ConfusionMatrixChart {
  static {
    Headless.ensure();
  }

  /** The usual file name in an evaluation's plot folder. */
  public static final String FILE_NAME = "confusion-matrix.png";
  /** Image size in pixels. */
  public static final int WIDTH = 900;
  public static final int HEIGHT = 840;

  private ConfusionMatrixChart() {}

  /**
   * Renders the heatmap, {@link #WIDTH} x {@link #HEIGHT} pixels.
   *
   * @param counts {@code counts[trueLabel][predictedLabel]}, square (10x10 for MNIST), non-negative, not all zero
   * @param caption a second title line (e.g. the model and test set), or null for none
   */
  public static BufferedImage render(int[][] counts, String caption) {
    return render(counts, caption, null);
  }

  /** Renders the heatmap and writes it atomically as a PNG to {@code file}; arguments as {@link #render}. */
  public static void write(Path file, int[][] counts, String caption) throws IOException {
    PngFiles.write(render(counts, caption), file);
  }

  /** Renders and fills {@code info} (when not null) with where the cells were drawn. */
  static BufferedImage render(int[][] counts, String caption, ChartRenderingInfo info) {
    return ChartStyle.draw(chart(counts, caption), WIDTH, HEIGHT, info);
  }

  /** The share of the counts on the diagonal, in [0,1]. */
  public static double accuracy(int[][] counts) {
    long total = validate(counts);
    return (double) diagonal(counts) / total;
  }

  static JFreeChart chart(int[][] counts, String caption) {
    long total = validate(counts);
    int n = counts.length;
    long correct = diagonal(counts);
    int max = 0;
    double[][] xyz = new double[3][n * n];
    for (int t = 0; t < n; t++) {
      for (int p = 0; p < n; p++) {
        int k = t * n + p;
        xyz[0][k] = p;
        xyz[1][k] = t;
        xyz[2][k] = counts[t][p];
        max = Math.max(max, counts[t][p]);
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("counts", xyz);

    LogColorScale scale = new LogColorScale(Math.max(max, 10));
    XYBlockRenderer renderer = new XYBlockRenderer();
    renderer.setPaintScale(scale);
    renderer.setDefaultToolTipGenerator(null);

    NumberAxis predicted = classAxis("predicted label", n);
    NumberAxis actual = classAxis("true label", n);
    actual.setInverted(true);
    XYPlot plot = new XYPlot(data, predicted, actual, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlinePaint(Color.GRAY);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    plot.setAxisOffset(RectangleInsets.ZERO_INSETS);

    Font cellFont = new Font(Font.SANS_SERIF, Font.BOLD, (int) Math.max(8, Math.min(16, 160.0 / n)));
    for (int t = 0; t < n; t++) {
      for (int p = 0; p < n; p++) {
        XYTextAnnotation label = new XYTextAnnotation(Integer.toString(counts[t][p]), p, t);
        label.setFont(cellFont);
        label.setPaint(counts[t][p] == 0 ? new Color(0x9e9e9e)
            : LogColorScale.textColor(scale.color(counts[t][p])));
        plot.addAnnotation(label);
      }
    }

    String title = String.format(Locale.ROOT, "Confusion matrix: accuracy %.2f%% (%d of %d correct)",
        100.0 * correct / total, correct, total);
    JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE, plot, false);
    if (caption != null && !caption.isBlank()) {
      TextTitle subtitle = new TextTitle(caption, ChartStyle.SUBTITLE);
      subtitle.setPaint(Color.DARK_GRAY);
      chart.addSubtitle(subtitle);
    }
    chart.addSubtitle(colorBar(scale));
    ChartStyle.style(chart);
    chart.setPadding(new RectangleInsets(10, 10, 10, 10));
    return chart;
  }

  private static PaintScaleLegend colorBar(LogColorScale scale) {
    LogAxis axis = new LogAxis("count (log scale; 0 is white)");
    axis.setRange(scale.getLowerBound(), scale.getUpperBound());
    axis.setNumberFormatOverride(new DecimalFormat("0"));
    axis.setAutoTickUnitSelection(false);
    axis.setTickUnit(new NumberTickUnit(1)); // one tick per power of ten: 1, 10, 100, 1000
    ChartStyle.style(axis);
    axis.setLabelFont(ChartStyle.TICK_LABEL);
    PaintScaleLegend legend = new PaintScaleLegend(scale, axis);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
    legend.setSubdivisionCount(4000);
    legend.setStripWidth(22);
    legend.setStripOutlineVisible(true);
    legend.setMargin(new RectangleInsets(4, 14, 4, 4));
    legend.setBackgroundPaint(Color.WHITE);
    return legend;
  }

  private static NumberAxis classAxis(String label, int n) {
    NumberAxis axis = new NumberAxis(label);
    axis.setRange(-0.5, n - 0.5);
    axis.setTickUnit(new NumberTickUnit(1, new DecimalFormat("0")));
    axis.setTickMarksVisible(false);
    ChartStyle.style(axis);
    return axis;
  }

  private static long diagonal(int[][] counts) {
    long sum = 0;
    for (int i = 0; i < counts.length; i++) {
      sum += counts[i][i];
    }
    return sum;
  }

  /** Checks the shape and values; returns the total count. */
  private static long validate(int[][] counts) {
    int n = counts.length;
    if (n == 0) {
      throw new IllegalArgumentException("empty confusion matrix (a square matrix of counts expected)");
    }
    long total = 0;
    for (int t = 0; t < n; t++) {
      if (counts[t] == null || counts[t].length != n) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "confusion matrix row %d has %d counts (%d expected: the matrix must be square)",
            t, counts[t] == null ? 0 : counts[t].length, n));
      }
      for (int p = 0; p < n; p++) {
        if (counts[t][p] < 0) {
          throw new IllegalArgumentException(String.format(Locale.ROOT,
              "negative count %d at true %d, predicted %d (counts must be >= 0)", counts[t][p], t, p));
        }
        total += counts[t][p];
      }
    }
    if (total == 0) {
      throw new IllegalArgumentException("confusion matrix holds no examples (all counts are 0)");
    }
    return total;
  }
}
