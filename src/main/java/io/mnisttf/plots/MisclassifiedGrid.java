package io.mnisttf.plots;

import io.mnisttf.data.MnistData;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A PNG grid of the digits a model got wrong with the highest confidence, most confident first,
 * each shown as the model saw it (light digit on black, 28x28 enlarged {@value #SCALE}x with every source
 * pixel a solid block) and captioned "true 4 / pred 9 (0.99)": true label, predicted class and the
 * probability the model gave it.
 *
 * <p>Drawn with plain Java2D, headless ({@code java.awt.headless} is set to true unless already set).
 */
public final class MisclassifiedGrid {
  static {
    Headless.ensure();
  }

  /** The usual file name in an evaluation's plot folder. */
  public static final String FILE_NAME = "misclassified.png";
  /** Grid shape: at most COLUMNS x ROWS digits. */
  public static final int COLUMNS = 5;
  public static final int ROWS = 5;
  /** Enlargement of each 28x28 digit. */
  public static final int SCALE = 4;

  static final int TILE = MnistData.COLS * SCALE;
  static final int MARGIN = 16;
  static final int PAD = 8;
  static final int CAPTION_GAP = 6;
  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 18);
  private static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
  private static final Font CAPTION = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
  private static final Color FRAME = new Color(0x9e9e9e);

  private MisclassifiedGrid() {}

  /**
   * One wrong prediction.
   *
   * @param index position of the example in the test set
   * @param trueLabel its label, 0-9
   * @param predicted the class the model chose, 0-9, not {@code trueLabel}
   * @param probability the probability the model gave {@code predicted}, in [0,1]
   */
  public record Mistake(int index, int trueLabel, int predicted, float probability) {
    /** The caption under the digit, e.g. "true 4 / pred 9 (0.99)". */
    public String caption() {
      return String.format(Locale.ROOT, "true %d / pred %d (%.2f)", trueLabel, predicted, probability);
    }
  }

  /**
   * The wrong predictions with the highest probability, most confident first (ties by test-set order).
   *
   * @param images the test set: pixels and true labels
   * @param predicted the predicted class of each example, 0-9, {@code images.size()} of them
   * @param probability the probability of each predicted class, in [0,1], {@code images.size()} of them
   * @param limit how many to return at most, >= 0
   */
  public static List<Mistake> mostConfident(MnistData images, int[] predicted, float[] probability,
      int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    List<Mistake> mistakes = mistakes(images, predicted, probability);
    mistakes.sort(Comparator.comparingDouble((Mistake m) -> -m.probability())
        .thenComparingInt(Mistake::index));
    return List.copyOf(mistakes.subList(0, Math.min(limit, mistakes.size())));
  }

  /**
   * Renders the grid of the {@value #COLUMNS}x{@value #ROWS} most confident mistakes (fewer rows when
   * there are fewer; only the title and a notice when there are none). Arguments as
   * {@link #mostConfident}.
   */
  public static BufferedImage render(MnistData images, int[] predicted, float[] probability) {
    List<Mistake> all = mistakes(images, predicted, probability);
    List<Mistake> shown = mostConfident(images, predicted, probability, COLUMNS * ROWS);
    return render(images, shown, all.size());
  }

  /** Renders the grid and writes it atomically as a PNG to {@code file}; arguments as {@link #render}. */
  public static void write(Path file, MnistData images, int[] predicted, float[] probability)
      throws IOException {
    PngFiles.write(render(images, predicted, probability), file);
  }

  /** Where things go, computed from the caption font. */
  record Layout(int rows, int cellWidth, int cellHeight, int top, int width, int height) {
    static Layout of(int shown) {
      BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = scratch.createGraphics();
      FontMetrics caption = g.getFontMetrics(CAPTION);
      FontMetrics title = g.getFontMetrics(TITLE);
      FontMetrics subtitle = g.getFontMetrics(SUBTITLE);
      g.dispose();
      int captionWidth = caption.stringWidth(new Mistake(0, 8, 8, 1f).caption());
      int cellWidth = Math.max(TILE, captionWidth) + 2 * PAD;
      int cellHeight = TILE + CAPTION_GAP + caption.getHeight() + 2 * PAD;
      int rows = (shown + COLUMNS - 1) / COLUMNS;
      int top = MARGIN + title.getHeight() + subtitle.getHeight() + PAD;
      return new Layout(rows, cellWidth, cellHeight, top, 2 * MARGIN + COLUMNS * cellWidth,
          top + rows * cellHeight + MARGIN);
    }

    /** Left edge of the k-th digit's enlarged pixels. */
    int tileX(int k) {
      return MARGIN + (k % COLUMNS) * cellWidth + (cellWidth - TILE) / 2;
    }

    /** Top edge of the k-th digit's enlarged pixels. */
    int tileY(int k) {
      return top + (k / COLUMNS) * cellHeight + PAD;
    }
  }

  static BufferedImage render(MnistData images, List<Mistake> shown, int totalMistakes) {
    Layout layout = Layout.of(shown.size());
    BufferedImage image = new BufferedImage(layout.width(), layout.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, layout.width(), layout.height());

      g.setColor(Color.BLACK);
      g.setFont(TITLE);
      FontMetrics fm = g.getFontMetrics();
      int y = MARGIN + fm.getAscent();
      g.drawString("Most confidently misclassified digits", MARGIN, y);
      g.setFont(SUBTITLE);
      g.setColor(Color.DARK_GRAY);
      y += fm.getDescent() + g.getFontMetrics().getAscent();
      g.drawString(subtitle(shown.size(), totalMistakes, images.size()), MARGIN, y);

      byte[] pixels = images.pixels();
      g.setFont(CAPTION);
      FontMetrics caption = g.getFontMetrics();
      for (int k = 0; k < shown.size(); k++) {
        Mistake m = shown.get(k);
        int x0 = layout.tileX(k);
        int y0 = layout.tileY(k);
        for (int r = 0; r < MnistData.ROWS; r++) {
          for (int c = 0; c < MnistData.COLS; c++) {
            int v = pixels[m.index() * MnistData.PIXELS + r * MnistData.COLS + c] & 0xff;
            g.setColor(new Color(v, v, v));
            g.fillRect(x0 + c * SCALE, y0 + r * SCALE, SCALE, SCALE);
          }
        }
        g.setColor(FRAME);
        g.drawRect(x0 - 1, y0 - 1, TILE + 1, TILE + 1);
        String text = m.caption();
        g.setColor(Color.BLACK);
        g.drawString(text, x0 + (TILE - caption.stringWidth(text)) / 2,
            y0 + TILE + CAPTION_GAP + caption.getAscent());
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  private static String subtitle(int shown, int total, int examples) {
    if (total == 0) {
      return String.format(Locale.ROOT, "none: all %d predictions are correct", examples);
    }
    return String.format(Locale.ROOT, "%d of %d errors in %d examples, highest predicted probability first",
        shown, total, examples);
  }

  private static List<Mistake> mistakes(MnistData images, int[] predicted, float[] probability) {
    int n = images.size();
    if (predicted.length != n || probability.length != n) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%d images but %d predicted classes and %d probabilities (one of each per image expected)",
          n, predicted.length, probability.length));
    }
    List<Mistake> mistakes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (predicted[i] < 0 || predicted[i] >= MnistData.CLASSES) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "predicted class %d at index %d (0-%d expected)", predicted[i], i, MnistData.CLASSES - 1));
      }
      if (!(probability[i] >= 0 && probability[i] <= 1)) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "probability %s at index %d ([0,1] expected)", probability[i], i));
      }
      if (predicted[i] != images.label(i)) {
        mistakes.add(new Mistake(i, images.label(i), predicted[i], probability[i]));
      }
    }
    return mistakes;
  }
}
