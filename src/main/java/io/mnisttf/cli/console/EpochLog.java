package io.mnisttf.cli.console;

import io.mnisttf.TrainingRun;
import io.mnisttf.train.EpochMetrics;
import io.mnisttf.train.Metrics;
import io.mnisttf.train.TrainingContext;
import io.mnisttf.train.TrainingListener;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The JSON summary's {@code epoch_log}: each epoch's metrics and the seconds since the JVM started when it ended;
 * with {@code testEachEpoch}, also the test set's loss and accuracy of that epoch's weights (scored after the
 * epoch, never used for any decision, outside the timed training; for the time a run takes to reach a test
 * accuracy), printed after the epoch's line.
 */
public final class EpochLog implements TrainingListener {
  /**
   * One epoch.
   *
   * @param testLoss null unless the test set is scored after every epoch
   * @param testAccuracy null unless the test set is scored after every epoch
   * @param testSeconds seconds the test scoring took, null unless the test set is scored after every epoch
   * @param elapsedS seconds since the JVM started, when the epoch (and its test scoring) ended
   */
  public record Entry(int epoch, double loss, double accuracy, double valLoss, double valAccuracy, Double testLoss,
      Double testAccuracy, Double testSeconds, double elapsedS) {}

  private final TrainingRun run;
  private final boolean testEachEpoch;
  private final PrintWriter log;
  private final List<Entry> entries = new ArrayList<>();

  /** {@code log} gets the test lines; null prints nothing. */
  public EpochLog(TrainingRun run, boolean testEachEpoch, PrintWriter log) {
    this.run = run;
    this.testEachEpoch = testEachEpoch;
    this.log = log;
  }

  @Override
  public void onEpochEnd(EpochMetrics m, TrainingContext context) {
    long start = System.nanoTime();
    Metrics test = testEachEpoch ? context.untimed(() -> run.evaluate(run.data().test())) : null;
    double seconds = (System.nanoTime() - start) / 1e9;
    if (test != null && log != null) {
      log.println(String.format(Locale.ROOT, "Epoch %d/%d - test_loss: %.4f - test_accuracy: %.4f", m.epoch(),
          context.epochs(), test.loss(), test.accuracy()));
      log.flush();
    }
    entries.add(new Entry(m.epoch(), m.loss(), m.accuracy(), m.valLoss(), m.valAccuracy(),
        test == null ? null : test.loss(), test == null ? null : test.accuracy(), test == null ? null : seconds,
        new Stopwatch().sinceJvmStart()));
  }

  /** The epochs this run trained (a resumed run's earlier epochs are not in it). */
  public List<Entry> entries() {
    return List.copyOf(entries);
  }
}
