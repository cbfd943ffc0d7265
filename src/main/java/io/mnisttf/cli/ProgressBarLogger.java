package io.mnisttf.cli;

import io.mnisttf.train.EpochMetrics;
import io.mnisttf.train.TrainingContext;
import io.mnisttf.train.TrainingListener;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * On an interactive terminal: a live bar per epoch (steps done of total, elapsed time, ETA, running loss and
 * accuracy), replaced by the epoch's summary line (the same line {@link EpochLogger} prints) when the
 * epoch ends.
 */
final class ProgressBarLogger implements TrainingListener {
  private static final long MESSAGE_INTERVAL_NANOS = 100_000_000L;

  private final PrintStream terminal;
  private final PrintWriter log;
  private ProgressBar bar;
  private double lossSum;
  private double accuracySum;
  private int steps;
  private long lastMessage;

  /**
   * @param terminal where the bar is drawn (the terminal stream the log goes to)
   * @param log where the epoch summary lines go
   */
  ProgressBarLogger(PrintStream terminal, PrintWriter log) {
    this.terminal = terminal;
    this.log = log;
  }

  @Override
  public void onEpochBegin(int epoch, TrainingContext context) {
    closeBar();
    lossSum = 0;
    accuracySum = 0;
    steps = 0;
    lastMessage = 0;
    bar = new ProgressBarBuilder()
        .setTaskName("Epoch " + epoch + "/" + context.epochs())
        .setInitialMax(context.stepsPerEpoch())
        .setUnit(" steps", 1)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(100)
        .setMaxRenderedLength(120)
        .clearDisplayOnFinish()
        .setConsumer(new ConsoleProgressBarConsumer(terminal, 120))
        .build();
  }

  @Override
  public void onBatchEnd(int epoch, int step, float loss, float accuracy) {
    lossSum += loss;
    accuracySum += accuracy;
    steps++;
    bar.step();
    long now = System.nanoTime();
    if (now - lastMessage > MESSAGE_INTERVAL_NANOS) {
      lastMessage = now;
      bar.setExtraMessage(String.format(Locale.ROOT, "loss: %.4f - accuracy: %.4f", lossSum / steps,
          accuracySum / steps));
    }
  }

  @Override
  public void onEpochEnd(EpochMetrics metrics, TrainingContext context) {
    closeBar();
    log.println(EpochLogger.format(metrics, context.epochs()));
    log.flush();
  }

  @Override
  public void onTrainEnd(TrainingContext context) {
    closeBar();
  }

  private void closeBar() {
    if (bar != null) {
      bar.close();
      bar = null;
      terminal.flush();
    }
  }
}
