package io.mnisttf.train;

import io.mnisttf.data.Augmentation;
import io.mnisttf.data.Augmenter;
import io.mnisttf.data.MnistData;
import io.mnisttf.model.ResidentSet;
import io.mnisttf.model.TrainingGraph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/**
 * Puts one fit's data set into the session's resident variables: all of it and the validation indices once, and,
 * when the training images are augmented, each epoch's transformed pixels again before the epoch (the validation
 * images among them unchanged). Steps then feed only indices, whether augmented or not.
 */
final class ResidentData {
  private final Session session;
  private final TrainingGraph net;
  private final MnistData.Split split;
  private final Augmenter augmenter;
  private final long[] labels;
  private byte[] epochPixels;

  ResidentData(Session session, TrainingGraph net, MnistData.Split split, Augmentation augmentation, long seed) {
    this.session = session;
    this.net = net;
    this.split = split;
    this.augmenter = augmentation.enabled() ? new Augmenter(augmentation, seed) : null;
    MnistData data = split.data();
    this.labels = new long[data.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = data.label(i);
    }
  }

  /** Uploads the images as they are, the labels and the validation indices. */
  void uploadAll() {
    try (TInt32 held = TInt32.vectorOf(split.validationIndices())) {
      upload(split.data().pixels(), runner -> runner.feed(net.validationIndices(), held)
          .addTarget(net.validationUpload()));
    }
  }

  /**
   * Before epoch {@code epoch} (1-based): with augmentation, uploads that epoch's images (the training part
   * transformed, {@link Augmenter#epoch}); without, does nothing.
   */
  void beginEpoch(int epoch) {
    if (augmenter == null) {
      return;
    }
    if (epochPixels == null) {
      epochPixels = new byte[split.data().pixels().length];
    }
    augmenter.epoch(split.data(), split.trainIndices(), epoch - 1, epochPixels);
    upload(epochPixels, runner -> runner);
  }

  private void upload(byte[] pixels, java.util.function.UnaryOperator<Session.Runner> more) {
    ResidentSet set = net.data();
    int n = labels.length;
    try (TUint8 images = TUint8.tensorOf(Shape.of(n, MnistData.PIXELS), DataBuffers.of(pixels, true, false));
        TInt64 classes = TInt64.tensorOf(Shape.of(n), DataBuffers.of(labels, true, false))) {
      more.apply(session.runner().feed(set.pixelsInput(), images).feed(set.labelsInput(), classes)
          .addTarget(set.upload())).run().close();
    }
  }
}
