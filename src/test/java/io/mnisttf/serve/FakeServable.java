package io.mnisttf.serve;

import io.mnisttf.savedmodel.internal.worker.WireTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * A model version without TensorFlow, for the HTTP and version tests. Signatures:
 * {@code serving_default} ({@code x} float [-1,2] -> {@code sum} float [-1], {@code version} int64 [-1]: the
 * version that answered), {@code classify} (method classify: {@code inputs} strings -> {@code classes} and
 * {@code scores}, two fixed classes per example), {@code broken} (fails as a dead worker does: {@code INTERNAL}),
 * {@code crash} (a bug: an unexpected exception), {@code hold} (waits until {@link #release} is counted down, after counting down {@link #entered}).
 */
final class FakeServable implements Servable {
  final long version;
  final CountDownLatch entered = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);
  final AtomicInteger calls = new AtomicInteger();
  /** Counted down by each call: a test waits on it for this version to have answered 20 calls. */
  final CountDownLatch twentyCalls = new CountDownLatch(20);
  volatile boolean closed;

  FakeServable(long version) {
    this.version = version;
  }

  static TensorInfo info(String name, DataType dtype, long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return TensorInfo.newBuilder().setName(name).setDtype(dtype).setTensorShape(shape).build();
  }

  @Override
  public Map<String, SignatureDef> signatures() {
    Map<String, SignatureDef> s = new LinkedHashMap<>();
    s.put("serving_default", SignatureDef.newBuilder().setMethodName("tensorflow/serving/predict")
        .putInputs("x", info("x:0", DataType.DT_FLOAT, -1, 2))
        .putOutputs("sum", info("sum:0", DataType.DT_FLOAT, -1))
        .putOutputs("version", info("version:0", DataType.DT_INT64, -1)).build());
    s.put("classify", SignatureDef.newBuilder().setMethodName("tensorflow/serving/classify")
        .putInputs("inputs", info("examples:0", DataType.DT_STRING, -1))
        .putOutputs("classes", info("classes:0", DataType.DT_STRING, -1, 2))
        .putOutputs("scores", info("scores:0", DataType.DT_FLOAT, -1, 2)).build());
    s.put("broken", SignatureDef.newBuilder().setMethodName("tensorflow/serving/predict")
        .putInputs("x", info("x:0", DataType.DT_FLOAT, -1)).putOutputs("y", info("y:0", DataType.DT_FLOAT, -1)).build());
    s.put("crash", SignatureDef.newBuilder().setMethodName("tensorflow/serving/predict")
        .putInputs("x", info("x:0", DataType.DT_FLOAT, -1)).putOutputs("y", info("y:0", DataType.DT_FLOAT, -1)).build());
    s.put("hold", SignatureDef.newBuilder().setMethodName("tensorflow/serving/predict")
        .putInputs("x", info("x:0", DataType.DT_FLOAT, -1)).putOutputs("y", info("y:0", DataType.DT_FLOAT, -1)).build());
    return s;
  }

  @Override
  public Map<String, WireTensor> run(String signature, Map<String, WireTensor> inputs) throws ServingException {
    if (closed) {
      throw new IllegalStateException("run on a closed version " + version);
    }
    calls.incrementAndGet();
    twentyCalls.countDown();
    switch (signature) {
      case "serving_default" -> {
        WireTensor x = inputs.get("x");
        int rows = (int) x.dim(0);
        ByteBuffer in = x.buffer();
        ByteBuffer sum = ByteBuffer.allocate(4 * rows).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer versions = ByteBuffer.allocate(8 * rows).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
          sum.putFloat(in.getFloat(8 * r) + in.getFloat(8 * r + 4));
          versions.putLong(version);
        }
        return Map.of("sum", WireTensor.of(DataType.DT_FLOAT, new long[] {rows}, sum.array()),
            "version", WireTensor.of(DataType.DT_INT64, new long[] {rows}, versions.array()));
      }
      case "classify" -> {
        int n = (int) inputs.get("inputs").dim(0);
        byte[][] labels = new byte[2 * n][];
        ByteBuffer scores = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
          labels[2 * i] = "cat".getBytes();
          labels[2 * i + 1] = "dog".getBytes();
          scores.putFloat(0.25f).putFloat(0.75f);
        }
        return Map.of("classes", WireTensor.ofStrings(new long[] {n, 2}, labels),
            "scores", WireTensor.of(DataType.DT_FLOAT, new long[] {n, 2}, scores.array()));
      }
      case "broken" -> throw new ServingException(Code.INTERNAL,
          "m/1: the model worker was killed while running signature 'broken' (SIGKILL); a new worker is starting");
      case "crash" -> throw new IllegalStateException("a bug in the servable");
      case "hold" -> {
        entered.countDown();
        try {
          if (!release.await(60, TimeUnit.SECONDS)) {
            throw new ServingException(Code.DEADLINE_EXCEEDED, "held too long");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ServingException(Code.CANCELLED, "interrupted");
        }
        return Map.of("y", inputs.get("x"));
      }
      default -> throw ServingException.invalidArgument("no signature " + signature);
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
