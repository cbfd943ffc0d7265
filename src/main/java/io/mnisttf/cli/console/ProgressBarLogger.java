package io.mnisttf.cli.console;

import io.mnisttf.train.BatchMetrics;
import io.mnisttf.train.EpochMetrics;
import io.mnisttf.train.TrainingContext;
import io.mnisttf.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * On an interactive terminal: a live bar per epoch (steps done of total, elapsed time, ETA, running loss and
 * accuracy), replaced by the epoch's summary line (the same line {@link EpochLogger} prints) when the
 * epoch ends. The bar and the lines go to the same writer, the command's own.
 */
public final class ProgressBarLogger implements TrainingListener {
  /** Width of the bar's line, in characters. */
  static final int WIDTH = 120;
  private static final int REDRAW_MILLIS = 100;
  private static final long MESSAGE_INTERVAL_NANOS = 100_000_000L;

  private final PrintWriter out;
  private final LongSupplier nanoClock;
  private final int redrawMillis;
  private ProgressBar bar;
  private WriterConsumer drawing;
  private boolean messageDue;
  private long lastMessage;

  /** @param out where the bar is drawn and the epoch lines are printed (an interactive terminal) */
  public ProgressBarLogger(PrintWriter out) {
    this(out, System::nanoTime, REDRAW_MILLIS);
  }

  /**
   * @param out where the bar is drawn and the epoch lines are printed
   * @param nanoClock the clock that spaces the updates of the running loss and accuracy (100 ms apart)
   * @param redrawMillis how often the bar's own thread redraws it
   */
  ProgressBarLogger(PrintWriter out, LongSupplier nanoClock, int redrawMillis) {
    this.out = out;
    this.nanoClock = nanoClock;
    this.redrawMillis = redrawMillis;
  }

  @Override
  public void onEpochBegin(int epoch, TrainingContext context) {
    closeBar();
    messageDue = true;
    drawing = new WriterConsumer(out);
    bar = new ProgressBarBuilder()
        .setTaskName("Epoch " + epoch + "/" + context.epochs())
        .setInitialMax(context.stepsPerEpoch())
        .setUnit(" steps", 1)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(redrawMillis)
        .setMaxRenderedLength(WIDTH)
        .clearDisplayOnFinish()
        .setConsumer(drawing)
        .build();
  }

  @Override
  public void onBatchEnd(BatchMetrics metrics) {
    long now = nanoClock.getAsLong();
    if (messageDue || now - lastMessage >= MESSAGE_INTERVAL_NANOS) {
      messageDue = false;
      lastMessage = now;
      bar.setExtraMessage(String.format(Locale.ROOT, "loss: %.4f - accuracy: %.4f", metrics.epochLoss(),
          metrics.epochAccuracy()));
    }
    // The metrics first, then the step: a drawing by the bar's own thread that shows this step also shows
    // the metrics that go with it (drawn between the two, it would show the new step with stale metrics, and
    // a redraw would then skip a bar that has not moved since).
    bar.step();
  }

  @Override
  public void onEpochEnd(EpochMetrics metrics, TrainingContext context) {
    closeBar();
    out.println(EpochLogger.format(metrics, context.epochs()));
    out.flush();
  }

  @Override
  public void onTrainEnd(TrainingContext context) {
    closeBar();
  }

  /** Draws the bar now if it has moved since it was last drawn, as its own thread does every 100 ms. */
  void redraw() {
    if (bar != null) {
      bar.refresh();
    }
  }

  private void closeBar() {
    if (bar != null) {
      bar.close();
      // The library clears the line in its last redraw, but skips that when its thread had not drawn the bar
      // once before: clear it here in any case (the first clear wins, later drawings are dropped).
      drawing.clear();
      bar = null;
      drawing = null;
    }
  }

  /**
   * Draws the bar on a writer: each drawing returns to the start of the line and overwrites the last. Once
   * cleared it draws nothing more, so a late redraw from the bar's thread cannot land after the epoch line.
   */
  private static final class WriterConsumer implements ProgressBarConsumer {
    private final PrintWriter out;
    private boolean cleared;

    WriterConsumer(PrintWriter out) {
      this.out = out;
    }

    @Override
    public int getMaxRenderedLength() {
      return WIDTH;
    }

    @Override
    public synchronized void accept(String rendered) {
      if (!cleared) {
        out.print("\r" + (rendered.length() > WIDTH ? rendered.substring(0, WIDTH) : rendered));
        out.flush();
      }
    }

    @Override
    public synchronized void clear() {
      if (!cleared) {
        cleared = true;
        out.print("\r" + " ".repeat(WIDTH) + "\r");
        out.flush();
      }
    }

    @Override
    public void close() {
      out.flush();
    }
  }
}
