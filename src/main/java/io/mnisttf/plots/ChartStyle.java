package io.mnisttf.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;

/** Fonts, colours and strokes shared by the charts, sized to be read at a glance at 100% zoom. */
final class ChartStyle {
  static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 20);
  static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
  static final Font AXIS_LABEL = new Font(Font.SANS_SERIF, Font.BOLD, 15);
  static final Font TICK_LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 14);

  /** matplotlib's tab10 blue, orange, green and red: distinct, also for most colour-blind readers. */
  static final Color TRAIN = new Color(0x1f77b4);
  static final Color VALIDATION = new Color(0xff7f0e);
  static final Color BEST = new Color(0x2ca02c);
  static final Color STOP = new Color(0xd62728);

  static final Color GRID = new Color(0xd0d0d0);
  static final BasicStroke SERIES_STROKE = new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  static final BasicStroke DASHED_SERIES_STROKE = new BasicStroke(2.5f, BasicStroke.CAP_BUTT,
      BasicStroke.JOIN_ROUND, 10f, new float[] {9f, 5f}, 0f);
  static final BasicStroke MARKER_STROKE = new BasicStroke(2f);
  static final BasicStroke DASHED_MARKER_STROKE = new BasicStroke(2f, BasicStroke.CAP_BUTT,
      BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);

  private ChartStyle() {}

  static void style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    chart.setTextAntiAlias(RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    if (chart.getTitle() != null) {
      chart.getTitle().setFont(TITLE);
    }
    LegendTitle legend = chart.getLegend();
    if (legend != null) {
      legend.setItemFont(LEGEND);
      legend.setBackgroundPaint(Color.WHITE);
    }
  }

  static void style(XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlinePaint(Color.GRAY);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setDomainGridlinesVisible(true);
    plot.setRangeGridlinesVisible(true);
  }

  static void style(ValueAxis axis) {
    axis.setLabelFont(AXIS_LABEL);
    axis.setTickLabelFont(TICK_LABEL);
    axis.setTickLabelPaint(Color.BLACK);
    axis.setLabelPaint(Color.BLACK);
  }

  /** Draws the chart onto a new RGB image of the given size, filling {@code info} when not null. */
  static BufferedImage draw(JFreeChart chart, int width, int height, ChartRenderingInfo info) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
      chart.draw(g, new Rectangle2D.Double(0, 0, width, height), info);
    } finally {
      g.dispose();
    }
    return image;
  }
}
