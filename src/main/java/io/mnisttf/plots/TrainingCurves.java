package io.mnisttf.plots;

import io.mnisttf.train.EpochMetrics;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The training curves of one run as a PNG: a loss panel above an accuracy panel sharing the epoch axis,
 * each with the training series (solid blue) and the validation series (dashed orange), a vertical line at
 * the best epoch and one at the epoch after which early stopping ended the run, all named in the legend.
 *
 * <p>Rendering is headless ({@code java.awt.headless} is set to true unless already set). Epochs whose
 * validation metrics are NaN (no validation data) are left out of the validation series; without any the
 * series and its legend entry are omitted.
 *
 * @param epochs the per-epoch metrics in order, at least one ({@code TrainingResult.epochs()})
 * @param bestEpoch 1-based epoch with the best monitored value, 0 for none
 * @param monitor metric that chose the best epoch (one of {@link EpochMetrics#NAMES}, usually
 *     {@value #MONITOR_DEFAULT}), shown with its value in the legend
 * @param stoppedEpoch 1-based epoch after which early stopping ended training, 0 if all epochs ran
 * @param caption the chart title, e.g. {@code "mnist-tf-java: 784-50-50-10, Adam lr 0.001, batch 100"};
 *     null or blank for a generic title
 */
public record TrainingCurves(List<EpochMetrics> epochs, int bestEpoch, String monitor, int stoppedEpoch,
    String caption) {
  static {
    Headless.ensure();
  }

  /** The file name in a run folder. */
  public static final String FILE_NAME = "training-curves.png";
  public static final String MONITOR_DEFAULT = "val_loss";
  /** Image size in pixels. */
  public static final int WIDTH = 1000;
  public static final int HEIGHT = 760;

  public TrainingCurves {
    epochs = List.copyOf(epochs);
    Objects.requireNonNull(monitor, "monitor");
    if (epochs.isEmpty()) {
      throw new IllegalArgumentException("no epochs to plot (at least one expected)");
    }
    if (!EpochMetrics.isMetric(monitor)) {
      throw new IllegalArgumentException("unknown metric '" + monitor + "' (one of "
          + String.join(", ", EpochMetrics.NAMES) + " expected)");
    }
    if (bestEpoch != 0 && find(epochs, bestEpoch) == null) {
      throw new IllegalArgumentException("best epoch " + bestEpoch + " is not among the plotted epochs "
          + range(epochs) + " (or 0 for none)");
    }
    if (stoppedEpoch != 0 && find(epochs, stoppedEpoch) == null) {
      throw new IllegalArgumentException("early-stop epoch " + stoppedEpoch
          + " is not among the plotted epochs " + range(epochs) + " (or 0 for none)");
    }
  }

  /** Renders the chart, {@link #WIDTH} x {@link #HEIGHT} pixels. */
  public BufferedImage render() {
    return render(null);
  }

  /** Renders the chart and writes it atomically as a PNG to {@code file}. */
  public void write(Path file) throws IOException {
    PngFiles.write(render(), file);
  }

  /** Renders and fills {@code info} (when not null) with where the panels were drawn. */
  BufferedImage render(ChartRenderingInfo info) {
    return ChartStyle.draw(chart(), WIDTH, HEIGHT, info);
  }

  /** The legend text of the best-epoch line, e.g. "best epoch 4 (val_loss 0.1012)"; null without one. */
  public String bestLabel() {
    if (bestEpoch == 0) {
      return null;
    }
    return String.format(Locale.ROOT, "best epoch %d (%s %.4f)", bestEpoch, monitor,
        find(epochs, bestEpoch).get(monitor));
  }

  /** The legend text of the early-stop line, e.g. "early stop after epoch 6"; null without one. */
  public String stopLabel() {
    return stoppedEpoch == 0 ? null : "early stop after epoch " + stoppedEpoch;
  }

  JFreeChart chart() {
    NumberAxis epochAxis = new NumberAxis("epoch");
    epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    int first = epochs.get(0).epoch();
    int last = epochs.get(epochs.size() - 1).epoch();
    epochAxis.setRange(Math.min(first, last) - 0.3, Math.max(first, last) + 0.3);
    ChartStyle.style(epochAxis);

    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochAxis);
    plot.setGap(14);
    boolean hasValidation = epochs.stream().anyMatch(e -> Double.isFinite(e.valLoss())
        || Double.isFinite(e.valAccuracy()));
    plot.add(panel("loss", "loss", "val_loss", hasValidation, true), 1);
    plot.add(panel("accuracy", "accuracy", "val_accuracy", hasValidation, false), 1);
    plot.setFixedLegendItems(legend(hasValidation));

    String title = caption == null || caption.isBlank() ? "Training curves" : caption;
    JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE, plot, true);
    LegendTitle legend = chart.getLegend();
    legend.setPosition(RectangleEdge.BOTTOM);
    legend.setItemLabelPadding(new RectangleInsets(2, 4, 2, 14));
    ChartStyle.style(chart);
    chart.setPadding(new RectangleInsets(10, 8, 6, 16));
    return chart;
  }

  private XYPlot panel(String label, String trainMetric, String validationMetric, boolean hasValidation,
      boolean labelMarkers) {
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(series("train", trainMetric));
    if (hasValidation) {
      data.addSeries(series("validation", validationMetric));
    }
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    Shape dot = new Ellipse2D.Double(-4.5, -4.5, 9, 9);
    renderer.setSeriesPaint(0, ChartStyle.TRAIN);
    renderer.setSeriesStroke(0, ChartStyle.SERIES_STROKE);
    renderer.setSeriesShape(0, dot);
    renderer.setSeriesPaint(1, ChartStyle.VALIDATION);
    renderer.setSeriesStroke(1, ChartStyle.DASHED_SERIES_STROKE);
    renderer.setSeriesShape(1, dot);

    NumberAxis valueAxis = new NumberAxis(label);
    valueAxis.setAutoRangeIncludesZero(false);
    valueAxis.setAutoRangeMinimumSize(1e-3);
    valueAxis.setUpperMargin(0.12);
    valueAxis.setLowerMargin(0.08);
    ChartStyle.style(valueAxis);

    XYPlot panel = new XYPlot(data, null, valueAxis, renderer);
    ChartStyle.style(panel);
    if (bestEpoch != 0) {
      panel.addDomainMarker(marker(bestEpoch, ChartStyle.BEST, ChartStyle.MARKER_STROKE,
          labelMarkers ? "best" : null), Layer.BACKGROUND);
    }
    if (stoppedEpoch != 0) {
      panel.addDomainMarker(marker(stoppedEpoch, ChartStyle.STOP, ChartStyle.DASHED_MARKER_STROKE,
          labelMarkers ? "stop" : null), Layer.BACKGROUND);
    }
    return panel;
  }

  private XYSeries series(String name, String metric) {
    XYSeries series = new XYSeries(name, true, false);
    for (EpochMetrics e : epochs) {
      double value = e.get(metric);
      if (Double.isFinite(value)) {
        series.add(e.epoch(), value);
      }
    }
    return series;
  }

  private static ValueMarker marker(int epoch, Color color, BasicStroke stroke, String label) {
    ValueMarker marker = new ValueMarker(epoch, color, stroke);
    if (label != null) {
      marker.setLabel(label);
      marker.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      marker.setLabelPaint(color);
      marker.setLabelBackgroundColor(new Color(255, 255, 255, 220));
      marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
      marker.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
      marker.setLabelOffset(new RectangleInsets(4, 4, 4, 4));
    }
    return marker;
  }

  private LegendItemCollection legend(boolean hasValidation) {
    LegendItemCollection items = new LegendItemCollection();
    items.add(seriesItem("train", ChartStyle.TRAIN, ChartStyle.SERIES_STROKE));
    if (hasValidation) {
      items.add(seriesItem("validation", ChartStyle.VALIDATION, ChartStyle.DASHED_SERIES_STROKE));
    }
    if (bestEpoch != 0) {
      items.add(lineItem(bestLabel(), ChartStyle.BEST, ChartStyle.MARKER_STROKE));
    }
    if (stoppedEpoch != 0) {
      items.add(lineItem(stopLabel(), ChartStyle.STOP, ChartStyle.DASHED_MARKER_STROKE));
    }
    return items;
  }

  private static LegendItem seriesItem(String label, Color color, BasicStroke stroke) {
    return new LegendItem(label, null, null, null, true, new Ellipse2D.Double(-4, -4, 8, 8),
        true, color, false, color, stroke, true, new Line2D.Double(-14, 0, 14, 0), stroke, color);
  }

  private static LegendItem lineItem(String label, Color color, BasicStroke stroke) {
    return new LegendItem(label, null, null, null, new Line2D.Double(-14, 0, 14, 0), stroke, color);
  }

  private static EpochMetrics find(List<EpochMetrics> epochs, int epoch) {
    for (EpochMetrics e : epochs) {
      if (e.epoch() == epoch) {
        return e;
      }
    }
    return null;
  }

  private static String range(List<EpochMetrics> epochs) {
    int first = epochs.get(0).epoch();
    int last = epochs.get(epochs.size() - 1).epoch();
    return first == last ? "(" + first + ")" : "(" + first + " to " + last + ")";
  }
}
