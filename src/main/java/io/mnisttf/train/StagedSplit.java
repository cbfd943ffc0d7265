package io.mnisttf.train;

import io.mnisttf.data.MnistData;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/**
 * A split's examples copied into the tensors that {@link Trainer#fit(StagedSplit, java.util.List)} uploads into
 * its session: the pixels (uint8 {@code [n, 784]}), the labels (int64 {@code [n]}) and the validation indices.
 *
 * <p>Staging needs TensorFlow's library but no session, so a caller can stage while another thread builds the
 * graph. It is worth it: the 47 MB of the MNIST training set land in native memory the process has never
 * touched, and on a virtual machine where first touches are slow that copy takes about 0.2 s, off the critical
 * path when it overlaps TensorFlow's start. Owns native memory until its upload: {@code fit} releases it once the
 * examples are in the session, and {@link #close} releases it if they never were.
 */
public final class StagedSplit implements AutoCloseable {
  private final MnistData.Split split;
  private TUint8 pixels;
  private TInt64 labels;
  private TInt32 validationIndices;

  private StagedSplit(MnistData.Split split, TUint8 pixels, TInt64 labels, TInt32 validationIndices) {
    this.split = split;
    this.pixels = pixels;
    this.labels = labels;
    this.validationIndices = validationIndices;
  }

  /** Copies {@code split}'s examples into tensors. */
  public static StagedSplit of(MnistData.Split split) {
    MnistData data = split.data();
    long[] classes = new long[data.size()];
    for (int i = 0; i < classes.length; i++) {
      classes[i] = data.label(i);
    }
    TUint8 pixels = TUint8.tensorOf(Shape.of(data.size(), MnistData.PIXELS),
        DataBuffers.of(data.pixels(), true, false));
    try {
      TInt64 labels = TInt64.tensorOf(Shape.of(classes.length), DataBuffers.of(classes, true, false));
      try {
        return new StagedSplit(split, pixels, labels, TInt32.vectorOf(split.validationIndices()));
      } catch (RuntimeException | Error e) {
        labels.close();
        throw e;
      }
    } catch (RuntimeException | Error e) {
      pixels.close();
      throw e;
    }
  }

  /** The split these tensors hold. */
  public MnistData.Split split() {
    return split;
  }

  /** True until the tensors are uploaded or closed. */
  public boolean staged() {
    return pixels != null;
  }

  TUint8 pixels() {
    requireStaged();
    return pixels;
  }

  TInt64 labels() {
    requireStaged();
    return labels;
  }

  TInt32 validationIndices() {
    requireStaged();
    return validationIndices;
  }

  private void requireStaged() {
    if (pixels == null) {
      throw new IllegalStateException("this split was already uploaded into a session (or closed): stage it again");
    }
  }

  /** Releases the tensors; does nothing when they were already released. */
  @Override
  public void close() {
    if (pixels != null) {
      pixels.close();
      labels.close();
      validationIndices.close();
      pixels = null;
      labels = null;
      validationIndices = null;
    }
  }
}
