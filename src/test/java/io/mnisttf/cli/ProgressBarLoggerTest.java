package io.mnisttf.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.train.EpochMetrics;
import io.mnisttf.train.FixedContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarLoggerTest {
  @Test
  void drawsALiveBarPerEpochAndReplacesItWithTheEpochLine() throws Exception {
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    StringWriter log = new StringWriter();
    ProgressBarLogger logger = new ProgressBarLogger(new PrintStream(terminal, true, StandardCharsets.UTF_8),
        new PrintWriter(log, true));
    FixedContext context = new FixedContext(3, 50);
    logger.onTrainBegin(context);
    logger.onEpochBegin(1, context);
    // The bar redraws on its own thread every 100 ms, when the step count has grown since the last drawing.
    java.util.regex.Pattern late = java.util.regex.Pattern.compile("Epoch 1/3 +(8\\d|9\\d)% \\[[= ]+\\] +(4\\d)/50 steps");
    String drawn = "";
    for (int step = 1; step <= 49 && !late.matcher(drawn).find(); step++) {
      logger.onBatchEnd(1, step, 0.5f, 0.75f);
      if (step >= 40) {
        Thread.sleep(150);
      }
      drawn = terminal.toString(StandardCharsets.UTF_8);
    }
    assertTrue(late.matcher(drawn).find(), drawn.replace("\r", "<CR>"));
    assertTrue(drawn.contains("loss: 0.5000 - accuracy: 0.7500"), drawn);

    logger.onEpochEnd(new EpochMetrics(1, 0.5, 0.75, 0.4, 0.8, 1.25), context);
    logger.onTrainEnd(context);
    String cleared = terminal.toString(StandardCharsets.UTF_8);
    String tail = cleared.substring(cleared.lastIndexOf('\r') + 1);
    assertTrue(tail.isBlank(), "the bar is cleared at the end of the epoch: '" + tail + "'");
    assertTrue(log.toString().startsWith(
        "Epoch 1/3 - 1.25s - loss: 0.5000 - accuracy: 0.7500 - val_loss: 0.4000 - val_accuracy: 0.8000"),
        log.toString());
  }
}
