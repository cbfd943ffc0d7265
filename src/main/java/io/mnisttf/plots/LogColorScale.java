package io.mnisttf.plots;

import java.awt.Color;
import java.awt.Paint;
import org.jfree.chart.renderer.PaintScale;

/**
 * Sequential white-to-dark-blue colours for counts on a logarithmic scale, so that a handful of errors
 * shows next to a thousand correct answers: 0 is white, 1 is the palest blue, {@code upper} the darkest.
 * The stops are ColorBrewer's "Blues" (as in matplotlib).
 */
final class LogColorScale implements PaintScale {
  private static final Color[] STOPS = {
      new Color(0xf7fbff), new Color(0xdeebf7), new Color(0xc6dbef), new Color(0x9ecae1),
      new Color(0x6baed6), new Color(0x4292c6), new Color(0x2171b5), new Color(0x08519c),
      new Color(0x08306b)};
  /** Where a count of 1 starts on the palette, so that it stands apart from the white of 0. */
  private static final double FIRST = 0.12;

  private final double upper;

  /** @param upper the count that gets the darkest colour, > 1 */
  LogColorScale(double upper) {
    if (!(upper > 1)) {
      throw new IllegalArgumentException("upper bound must be > 1, got " + upper);
    }
    this.upper = upper;
  }

  @Override
  public double getLowerBound() {
    return 1;
  }

  @Override
  public double getUpperBound() {
    return upper;
  }

  @Override
  public Paint getPaint(double value) {
    return color(value);
  }

  Color color(double value) {
    if (!(value >= 1)) {
      return Color.WHITE;
    }
    double t = Math.min(1, Math.log(value) / Math.log(upper));
    return interpolate(FIRST + (1 - FIRST) * t);
  }

  /** Black or white, whichever reads better on {@code background}. */
  static Color textColor(Color background) {
    double luminance = (0.2126 * linear(background.getRed()) + 0.7152 * linear(background.getGreen())
        + 0.0722 * linear(background.getBlue()));
    return luminance > 0.22 ? Color.BLACK : Color.WHITE;
  }

  private static double linear(int channel) {
    double c = channel / 255.0;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }

  private static Color interpolate(double position) {
    double x = position * (STOPS.length - 1);
    int i = Math.min(STOPS.length - 2, (int) Math.floor(x));
    double f = x - i;
    Color a = STOPS[i];
    Color b = STOPS[i + 1];
    return new Color(
        (int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
        (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
        (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
  }
}
