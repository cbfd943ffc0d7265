package io.mnisttf.train;

import io.mnisttf.data.Batch;
import io.mnisttf.data.MnistData;
import io.mnisttf.model.Scores;
import io.mnisttf.model.TrainingGraph;
import java.util.Arrays;
import java.util.function.BiConsumer;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** Scores data fed to the training graph's {@code images} input (the test set), in large batches. */
final class FedScoring {
  /** Examples per session run when only scoring: large batches (unless the network asks for fewer), same numbers. */
  static final int BATCH = 2_000;

  private FedScoring() {}

  /** Runs {@code runner} fetching {@code scores}; returns {loss, accuracy}. */
  static float[] scores(Session.Runner runner, Scores scores) {
    try (Result out = runner.fetch(scores.lossAndAccuracy()).run()) {
      TFloat32 both = (TFloat32) out.get(0);
      return new float[] {both.getFloat(0), both.getFloat(1)};
    }
  }

  /** Mean loss and accuracy of the current weights on {@code data}, without changing them. */
  static Metrics evaluate(Session session, TrainingGraph net, MnistData data) {
    MetricMeter meter = new MetricMeter();
    long[] labels = new long[Math.min(batch(net), Math.max(1, data.size()))];
    forEachFedBatch(data, batch(net), (batch, images) -> {
      int size = batch.size();
      for (int k = 0; k < size; k++) {
        labels[k] = data.label(batch.indices()[k]);
      }
      try (TInt64 y = TInt64.tensorOf(Shape.of(size), DataBuffers.of(labels, true, false).narrow(size))) {
        float[] scores = scores(session.runner().feed(net.images(), images).feed(net.labels(), y), net.fed());
        meter.add(scores[0], scores[1], size);
      }
    });
    return meter.result();
  }

  /**
   * Class probabilities of the current weights for every example of {@code data}: {@code size() * 10}
   * floats, row by row.
   */
  static float[] predictProbabilities(Session session, TrainingGraph net, MnistData data) {
    float[] probabilities = new float[data.size() * MnistData.CLASSES];
    forEachFedBatch(data, batch(net), (batch, images) -> {
      try (Result out = session.runner().feed(net.images(), images).fetch(net.forward().probabilities()).run()) {
        FloatDataBuffer rows = ((TFloat32) out.get(0)).asRawTensor().data().asFloats();
        rows.read(probabilities, batch.indices()[0] * MnistData.CLASSES, batch.size() * MnistData.CLASSES);
      }
    });
    return probabilities;
  }

  /**
   * Feeds {@code data} in order, in consecutive batches of up to {@code most}: gives each batch and
   * its images (float32 {@code [batch, 28, 28]} in [0,1], closed after {@code body} returns) to {@code body}.
   */
  private static void forEachFedBatch(MnistData data, int most, BiConsumer<Batch, TFloat32> body) {
    int batchSize = Math.min(most, Math.max(1, data.size()));
    float[] pixels = new float[batchSize * MnistData.PIXELS];
    for (Batch batch : Batch.split(allIndices(data.size()), batchSize)) {
      batch.copyPixels(data, pixels);
      int size = batch.size();
      try (TFloat32 images = TFloat32.tensorOf(Shape.of(size, MnistData.ROWS, MnistData.COLS),
          DataBuffers.of(pixels, true, false).narrow((long) size * MnistData.PIXELS))) {
        body.accept(batch, images);
      }
    }
  }

  /** Examples per scoring run for {@code net}: {@link #BATCH}, or fewer when its network asks. */
  static int batch(TrainingGraph net) {
    int most = net.network().scoringBatch();
    return most > 0 ? Math.min(BATCH, most) : BATCH;
  }

  private static int[] allIndices(int n) {
    int[] all = new int[n];
    Arrays.setAll(all, i -> i);
    return all;
  }
}
