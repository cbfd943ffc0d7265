package io.mnisttf.train;

import java.util.Locale;

/**
 * Stops training when a monitored metric has stopped improving, as Keras' {@code EarlyStopping} callback
 * in mode "auto": losses should fall and accuracies rise. An epoch improves a loss when
 * {@code value < best - minDelta} (an accuracy when {@code value > best + minDelta}); after {@code patience} epochs in a
 * row without improvement the loop is asked to stop. With {@code restoreBestWeights}, the weights of the
 * best epoch are put back when training ends, whether it stopped early or ran all its epochs, so the best
 * epoch's weights are the ones evaluated and exported.
 */
public final class EarlyStopping implements TrainingListener {
  /**
   * @param monitor metric to watch, one of {@link EpochMetrics#NAMES}
   * @param minDelta smallest decrease that counts as an improvement, >= 0
   * @param patience epochs without improvement before stopping, >= 1
   * @param restoreBestWeights put the best epoch's weights back at the end
   */
  public record Config(String monitor, double minDelta, int patience, boolean restoreBestWeights) {
    public static final String MONITOR_DEFAULT = "val_loss";
    public static final int PATIENCE_DEFAULT = 2;
    public static final Config DEFAULTS = new Config(MONITOR_DEFAULT, 0.0, PATIENCE_DEFAULT, true);

    /** Whether the monitored metric improves by falling (losses) rather than rising (accuracies). */
    public boolean lowerIsBetter() {
      return !monitor.endsWith("accuracy");
    }

    public Config {
      if (!EpochMetrics.isMetric(monitor)) {
        throw new IllegalArgumentException("unknown metric '" + monitor + "' (one of "
            + String.join(", ", EpochMetrics.NAMES) + " expected)");
      }
      if (!(minDelta >= 0)) {
        throw new IllegalArgumentException("min delta must be >= 0, got " + minDelta);
      }
      if (patience < 1) {
        throw new IllegalArgumentException("patience must be >= 1, got " + patience);
      }
    }
  }

  /**
   * The monitor's progress, enough to continue a resumed run exactly where it stopped.
   *
   * @param best best value seen (infinitely bad before the first epoch)
   * @param bestEpoch 1-based epoch of {@code best}, 0 before the first epoch
   * @param epochsWithoutImprovement epochs since the last improvement
   */
  public record State(double best, int bestEpoch, int epochsWithoutImprovement) {
    /** The state before the first epoch, for a monitor of the given direction. */
    public static State initial(Config config) {
      return new State(config.lowerIsBetter() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY, 0, 0);
    }
  }

  private final Config config;
  private State state;
  private WeightSnapshot bestWeights;
  private int stoppedEpoch;
  private boolean resumed;

  public EarlyStopping(Config config) {
    this.config = config;
    this.state = State.initial(config);
  }

  /** Continues from a saved state instead of starting fresh at the next {@code onTrainBegin}. */
  public void resume(State saved, WeightSnapshot savedBestWeights) {
    state = saved;
    bestWeights = savedBestWeights;
    resumed = true;
  }

  @Override
  public void onTrainBegin(TrainingContext context) {
    if (!resumed) {
      state = State.initial(config);
      bestWeights = null;
    }
    resumed = false;
    stoppedEpoch = 0;
  }

  @Override
  public void onEpochEnd(EpochMetrics metrics, TrainingContext context) {
    double current = metrics.get(config.monitor());
    // A NaN compares false: an epoch without improvement, as in Keras.
    boolean improved = config.lowerIsBetter()
        ? current < state.best() - config.minDelta()
        : current > state.best() + config.minDelta();
    if (improved) {
      state = new State(current, metrics.epoch(), 0);
      if (config.restoreBestWeights()) {
        bestWeights = context.snapshotWeights();
      }
      return;
    }
    if (state.bestEpoch() == 0) {
      // As Keras: until an epoch improves, the first epoch's weights count as the best (a run that is NaN
      // from the start keeps them rather than the last, diverged ones).
      state = new State(state.best(), metrics.epoch(), state.epochsWithoutImprovement());
      if (config.restoreBestWeights()) {
        bestWeights = context.snapshotWeights();
      }
    }
    state = new State(state.best(), state.bestEpoch(), state.epochsWithoutImprovement() + 1);
    if (state.epochsWithoutImprovement() >= config.patience()) {
      stoppedEpoch = metrics.epoch();
      context.requestStop(String.format(Locale.ROOT,
          "%s did not improve for %d epoch%s (best %.4f at epoch %d)", config.monitor(), state.epochsWithoutImprovement(),
          state.epochsWithoutImprovement() == 1 ? "" : "s", state.best(), state.bestEpoch()));
    }
  }

  @Override
  public void onTrainEnd(TrainingContext context) {
    if (config.restoreBestWeights() && bestWeights != null) {
      context.restoreWeights(bestWeights);
    }
  }

  public Config config() {
    return config;
  }

  public State state() {
    return state;
  }

  /** Weights of the best epoch so far (null without restoreBestWeights or before the first epoch). */
  public WeightSnapshot bestWeights() {
    return bestWeights;
  }

  /** 1-based epoch after which this monitor stopped training, 0 if it did not. */
  public int stoppedEpoch() {
    return stoppedEpoch;
  }

  /** 1-based epoch with the best monitored value, 0 before the first epoch. */
  public int bestEpoch() {
    return state.bestEpoch();
  }
}
