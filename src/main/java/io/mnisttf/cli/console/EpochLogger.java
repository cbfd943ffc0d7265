package io.mnisttf.cli.console;

import io.mnisttf.train.EpochMetrics;
import io.mnisttf.train.TrainingContext;
import io.mnisttf.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;

/** Prints one line per epoch in the spirit of Keras' fit log. */
public final class EpochLogger implements TrainingListener {
  private final PrintWriter out;

  public EpochLogger(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void onEpochEnd(EpochMetrics m, TrainingContext context) {
    out.println(format(m, context.epochs()));
    out.flush();
  }

  static String format(EpochMetrics m, int epochs) {
    return String.format(Locale.ROOT,
        "Epoch %d/%d - %.2fs - loss: %.4f - accuracy: %.4f - val_loss: %.4f - val_accuracy: %.4f",
        m.epoch(), epochs, m.seconds(), m.loss(), m.accuracy(), m.valLoss(), m.valAccuracy());
  }
}
