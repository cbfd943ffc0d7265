package io.mnisttf;

import io.mnisttf.checkpoint.CheckpointException;
import io.mnisttf.checkpoint.CheckpointState;
import io.mnisttf.checkpoint.CheckpointStore;
import io.mnisttf.data.DataConfig;

/** How a checkpointed run continues: the settings it was made with, and what may change when resuming it. */
final class Resumption {
  private Resumption() {}

  /**
   * The settings a checkpointed run was made with (data, training, early stopping), continuing to checkpoint
   * into the same folder and recording into {@link RunOptions#RUNS_DIR_DEFAULT}.
   */
  static RunOptions options(CheckpointStore.Loaded checkpoint) {
    CheckpointState state = checkpoint.state();
    return new RunOptions(state.data(), state.train(), state.earlyStopping(), RunOptions.RUNS_DIR_DEFAULT, null,
        checkpoint.folder().getParent());
  }

  /**
   * Checks that {@code options} can continue {@code checkpoint}: the same data split, training and
   * early-stopping settings (only the epochs and the data folder may differ), more epochs than it completed, and
   * a run that had not stopped early.
   *
   * @throws IllegalArgumentException when a setting that shaped the run differs
   * @throws CheckpointException when the run already completed its epochs or stopped early
   */
  static void requireResumable(CheckpointStore.Loaded checkpoint, RunOptions options) throws CheckpointException {
    CheckpointState state = checkpoint.state();
    DataConfig data = options.data();
    if (!options.train().withEpochs(state.train().epochs()).equals(state.train())
        || !new DataConfig(state.data().dataDir(), data.validationFraction(), data.seed(), data.limit())
            .equals(state.data())
        || !options.earlyStopping().equals(state.earlyStopping())) {
      throw new IllegalArgumentException("a resumed run keeps its checkpoint's settings; only the epochs, the data"
          + " folder and the outputs can change");
    }
    if (state.epoch() >= options.train().epochs()) {
      throw new CheckpointException(checkpoint.folder(), "the run already completed " + state.epoch() + " of "
          + options.train().epochs() + " epochs; give more than " + state.epoch() + " epochs to train longer");
    }
    if (state.monitor().epochsWithoutImprovement() >= state.earlyStopping().patience()) {
      throw new CheckpointException(checkpoint.folder(), "the run already stopped early after epoch "
          + state.epoch() + " (" + state.earlyStopping().monitor() + " did not improve for "
          + state.earlyStopping().patience() + " epochs)");
    }
  }
}
