package io.mnisttf.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Several training steps in one session run: the graph's single step ({@link TrainingGraph#batch},
 * {@link TrainingGraph#trainOp}) followed by {@code size() - 1} copies of it, each of which starts only once the
 * previous step's Adam update is complete (control dependencies), so that the steps run the same kernels on the
 * same values in the same order as {@code size()} separate runs, and give the same bits. The run pays Java's call,
 * the feeds, the fetches and the executor's set-up once for all of them.
 *
 * @param batches placeholders, int32 {@code [batch]}: the indices of steps 2, 3, ... (step 1 is fed to
 *     {@link TrainingGraph#batch})
 * @param stepSeeds placeholders, int64 {@code [2]}, the step seeds of steps 2, 3, ... for a stochastic network;
 *     empty for the others
 * @param losses float32 {@code [size()]}: each step's loss, before its update
 * @param accuracies float32 {@code [size()]}: each step's accuracy, before its update
 * @param trainOp the last step's update (it depends on all the others)
 */
public record StepChain(List<Placeholder<TInt32>> batches, List<Placeholder<TInt64>> stepSeeds,
    Operand<TFloat32> losses, Operand<TFloat32> accuracies, Op trainOp) {

  /** Steps per run. */
  public int size() {
    return batches.size() + 1;
  }
}
