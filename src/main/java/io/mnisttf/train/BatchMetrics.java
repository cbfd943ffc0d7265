package io.mnisttf.train;

/**
 * One training step's metrics, as {@link TrainingListener#onBatchEnd} receives them: the step's own loss and
 * accuracy (before its update), and the example-weighted means of the epoch so far, which is what Keras' logs
 * and progress bar show at each step (its {@code batch_loss} in TensorBoard included): at an epoch's last step
 * they are the epoch's loss and accuracy.
 *
 * @param epoch 1-based epoch
 * @param step 1-based step within the epoch
 * @param size examples in the step's batch
 * @param loss the batch's mean loss
 * @param accuracy the batch's accuracy
 * @param epochLoss the mean loss of the epoch's examples so far, this batch included
 * @param epochAccuracy the accuracy of the epoch's examples so far, this batch included
 */
public record BatchMetrics(int epoch, int step, int size, float loss, float accuracy, double epochLoss,
    double epochAccuracy) {}
