package io.mnisttf.cli.console;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.train.BatchMetrics;
import io.mnisttf.train.EpochMetrics;
import io.mnisttf.train.FixedContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ProgressBarLoggerTest {
  /** The bar's own thread draws it once when an epoch begins and then not for an hour: the test draws it. */
  private static final int NEVER_MILLIS = 3_600_000;

  private final StringWriter out = new StringWriter();
  private final AtomicLong clock = new AtomicLong(-5_000_000_000L); // System.nanoTime may well be negative
  private final ProgressBarLogger logger = new ProgressBarLogger(new PrintWriter(out, true), clock::get,
      NEVER_MILLIS);
  private final FixedContext context = new FixedContext(3, 50);

  private String drawn() {
    return out.toString();
  }

  /** One drawing of the bar: task, percentage, bar, steps, elapsed / remaining time, then the metrics. */
  private static Pattern bar(int epoch, int percent, int steps, String metrics) {
    return Pattern.compile("\r\\QEpoch " + epoch + "/3\\E +" + percent + "% \\[[=> ]+\\] +" + steps
        + "/50 steps \\(\\d+:\\d\\d:\\d\\d / \\d+:\\d\\d:\\d\\d\\) \\Q" + metrics + "\\E");
  }

  /** A step whose epoch so far has these means (the trainer computes them: TrainerTest). */
  private static BatchMetrics step(int epoch, int step, double epochLoss, double epochAccuracy) {
    return new BatchMetrics(epoch, step, 100, 0.5f, 0.75f, epochLoss, epochAccuracy);
  }

  @Test
  void drawsALiveBarWithTheRunningMetricsUpdatedAtMostEvery100Milliseconds() {
    logger.onTrainBegin(context);
    logger.onEpochBegin(1, context);
    logger.onBatchEnd(step(1, 1, 0.9, 0.1)); // the first step of an epoch always sets the metrics
    for (int step = 2; step <= 44; step++) {
      logger.onBatchEnd(step(1, step, 0.5 + 0.4 / step, 0.75 - 0.65 / step));
    }
    logger.redraw();
    assertTrue(bar(1, 88, 44, "loss: 0.9000 - accuracy: 0.1000").matcher(drawn()).find(),
        "no time has passed on the clock: still the first step's metrics: " + drawn().replace("\r", "<CR>"));

    clock.addAndGet(100_000_000L);
    logger.onBatchEnd(step(1, 45, 0.50889, 0.73556));
    logger.redraw();
    assertTrue(bar(1, 90, 45, "loss: 0.5089 - accuracy: 0.7356").matcher(drawn()).find(),
        "the epoch's means so far, as Keras' bar shows: " + drawn().replace("\r", "<CR>"));
  }

  @Test
  void theEpochLineReplacesTheBarAndTheNextEpochStartsAfresh() {
    logger.onTrainBegin(context);
    logger.onEpochBegin(1, context);
    for (int step = 1; step <= 50; step++) {
      logger.onBatchEnd(step(1, step, 0.5, 0.75));
    }
    logger.redraw();
    logger.onEpochEnd(new EpochMetrics(1, 0.5, 0.75, 0.4, 0.8, 1.25), context);
    String afterEpoch = drawn();
    String lastLine = afterEpoch.substring(afterEpoch.lastIndexOf('\r') + 1);
    assertTrue(lastLine.equals(
        "Epoch 1/3 - 1.25s - loss: 0.5000 - accuracy: 0.7500 - val_loss: 0.4000 - val_accuracy: 0.8000"
            + System.lineSeparator()), "the cleared bar's line holds the epoch line: '" + lastLine + "'");
    assertTrue(afterEpoch.contains("\r" + " ".repeat(ProgressBarLogger.WIDTH) + "\r"), "the bar is cleared");

    logger.onEpochBegin(2, context);
    logger.onBatchEnd(step(2, 1, 0.25, 0.875));
    logger.redraw();
    String second = drawn().substring(afterEpoch.length());
    assertTrue(bar(2, 2, 1, "loss: 0.2500 - accuracy: 0.8750").matcher(second).find(),
        "a new epoch's first step shows at once: " + second.replace("\r", "<CR>"));
    logger.onTrainEnd(context);
    assertFalse(drawn().substring(afterEpoch.length()).contains("Epoch 2/3 - "), "no line for an unfinished epoch");
  }
}
