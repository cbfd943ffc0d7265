package io.mnisttf.train;

import java.util.ArrayList;
import java.util.List;

/** Records every epoch's metrics, like the History object Keras' fit returns. */
public final class History implements TrainingListener {
  private final List<EpochMetrics> epochs = new ArrayList<>();

  @Override
  public void onTrainBegin(TrainingContext context) {
    epochs.clear();
  }

  @Override
  public void onEpochEnd(EpochMetrics metrics, TrainingContext context) {
    epochs.add(metrics);
  }

  /** The epochs run so far, in order. */
  public List<EpochMetrics> epochs() {
    return List.copyOf(epochs);
  }
}
