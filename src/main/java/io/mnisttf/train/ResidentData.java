package io.mnisttf.train;

import io.mnisttf.data.Augmentation;
import io.mnisttf.data.Augmenter;
import io.mnisttf.data.MnistData;
import io.mnisttf.model.ResidentSet;
import io.mnisttf.model.TrainingGraph;
import io.mnisttf.util.BackgroundTask;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TUint8;

/**
 * Puts one fit's data set into the session's resident variables: all of it and the validation indices once, and,
 * when the training images are augmented, each epoch's transformed pixels again before the epoch (the validation
 * images among them unchanged). Steps then feed only indices, whether augmented or not. The next epoch's images
 * are made on a background thread while an epoch trains (about 1 s of CPU for 54 000 images); close it to give
 * them up.
 */
final class ResidentData implements AutoCloseable {
  private final Session session;
  private final TrainingGraph net;
  private final MnistData.Split split;
  private final Augmenter augmenter;
  private final int lastEpoch;
  /** Two pixel buffers, one uploaded while the other is being filled for the next epoch. */
  private final byte[][] buffers;
  private BackgroundTask<byte[]> next;
  private MnistData validation;
  private int nextEpoch;

  /** {@code lastEpoch}: no images are made in advance for the epoch after it. */
  ResidentData(Session session, TrainingGraph net, MnistData.Split split, Augmentation augmentation, long seed,
      int lastEpoch) {
    this.session = session;
    this.lastEpoch = lastEpoch;
    this.net = net;
    this.split = split;
    this.augmenter = augmentation.enabled() ? new Augmenter(augmentation, seed) : null;
    int bytes = split.data().pixels().length;
    this.buffers = augmenter == null ? null : new byte[][] {new byte[bytes], new byte[bytes]};
  }

  /**
   * Uploads the images as they are, the labels and the validation indices from {@code staged} (tensors of this
   * split), then releases its tensors.
   */
  void uploadAll(StagedSplit staged) {
    if (staged.split() != split) {
      throw new IllegalArgumentException("the staged tensors hold another split");
    }
    ResidentSet set = net.data();
    try (staged) {
      session.runner().feed(set.pixelsInput(), staged.pixels()).feed(set.labelsInput(), staged.labels())
          .feed(net.validationIndices(), staged.validationIndices()).addTarget(set.upload())
          .addTarget(net.validationUpload()).run().close();
    }
  }

  /**
   * Before epoch {@code epoch} (1-based): with augmentation, uploads that epoch's images (the training part
   * transformed, {@link Augmenter#epoch}), then starts transforming the next epoch's on a background thread while
   * this one trains; without, does nothing.
   */
  void beginEpoch(int epoch) {
    if (augmenter == null) {
      return;
    }
    byte[] pixels = null;
    if (next != null && nextEpoch == epoch) {
      try {
        pixels = next.take();
      } catch (Exception e) {
        throw new IllegalStateException("augmenting the images of epoch " + epoch + " failed: " + e.getMessage(), e);
      }
    }
    closeNext();
    if (pixels == null) {
      pixels = buffers[epoch % 2];
      augmenter.epoch(split.data(), split.trainIndices(), epoch - 1, pixels, true);
    }
    upload(pixels);
    if (epoch >= lastEpoch) {
      return;
    }
    byte[] spare = buffers[(epoch + 1) % 2];
    nextEpoch = epoch + 1;
    next = BackgroundTask.start("augment-epoch-" + nextEpoch, () -> {
      augmenter.epoch(split.data(), split.trainIndices(), epoch, spare, false);
      return spare;
    }, unused -> { });
  }

  /**
   * {loss, accuracy} of the validation part: in one run on the resident images or, for a network that scores in
   * smaller batches ({@code Network.scoringBatch}), fed batch by batch (the same images: validation images are
   * never augmented).
   */
  double[] validate() {
    int most = net.network().scoringBatch();
    if (most == 0 || split.validationIndices().length <= most) {
      float[] scores = FedScoring.scores(session.runner(), net.validation());
      return new double[] {scores[0], scores[1]};
    }
    if (validation == null) {
      validation = split.validation();
    }
    Metrics m = FedScoring.evaluate(session, net, validation);
    return new double[] {m.loss(), m.accuracy()};
  }

  /** Gives up the next epoch's images if they are still being made (they are never used then). */
  @Override
  public void close() {
    closeNext();
  }

  private void closeNext() {
    if (next != null) {
      next.close();
      next = null;
    }
  }

  /** Replaces the resident pixels (the labels, uploaded with the first pixels, stay). */
  private void upload(byte[] pixels) {
    ResidentSet set = net.data();
    try (TUint8 images = TUint8.tensorOf(Shape.of(split.data().size(), MnistData.PIXELS),
        DataBuffers.of(pixels, true, false))) {
      session.runner().feed(set.pixelsInput(), images).addTarget(set.uploadPixels()).run().close();
    }
  }
}
