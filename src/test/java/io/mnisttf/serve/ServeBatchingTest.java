package io.mnisttf.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mnisttf.savedmodel.internal.worker.WireTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;

/** Request batching without TensorFlow: calls joined into one, each caller's rows given back to it. */
class ServeBatchingTest {
  private static WireTensor rows(float... pairs) {
    ByteBuffer b = ByteBuffer.allocate(4 * pairs.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : pairs) {
      b.putFloat(v);
    }
    return WireTensor.of(DataType.DT_FLOAT, new long[] {pairs.length / 2, 2}, b.array());
  }

  private static float[] floats(WireTensor t) {
    float[] f = new float[(int) t.count()];
    t.buffer().asFloatBuffer().get(f);
    return f;
  }

  @Test
  void concurrentCallsAreJoinedAndEachGetsItsOwnRows() throws Exception {
    FakeServable inner = new FakeServable(3);
    // A batch closes when it holds 6 rows: the four calls (1 + 2 + 1 + 2 rows) make exactly one model call,
    // whatever order they arrive in; the timeout only guards against a hang.
    BatchingServable batching = new BatchingServable(inner, new BatchingOptions(6, Duration.ofSeconds(60)), 1);
    List<WireTensor> inputs = List.of(rows(1, 2), rows(3, 4, 5, 6), rows(7, 8), rows(9, 10, 11, 12));
    List<CompletableFuture<Map<String, WireTensor>>> calls = new ArrayList<>();
    for (WireTensor x : inputs) {
      calls.add(CompletableFuture.supplyAsync(() -> {
        try {
          return batching.run("serving_default", Map.of("x", x));
        } catch (ServingException e) {
          throw new IllegalStateException(e);
        }
      }, Executors.newSingleThreadExecutor()));
    }
    float[][] expected = {{3}, {7, 11}, {15}, {19, 23}};
    for (int i = 0; i < calls.size(); i++) {
      Map<String, WireTensor> out = calls.get(i).get();
      assertArrayEquals(expected[i], floats(out.get("sum")), "caller " + i);
      assertArrayEquals(new long[] {expected[i].length}, out.get("version").shape());
    }
    assertEquals(1, inner.calls.get(), "one model call for the four requests");
    batching.close();
  }

  @Test
  void callsThatCannotJoinAreNotQueued() throws Exception {
    List<String> threads = new ArrayList<>();
    Servable recording = new Servable() {
      @Override
      public Map<String, SignatureDef> signatures() {
        return Map.of();
      }

      @Override
      public Map<String, WireTensor> run(String signature, Map<String, WireTensor> inputs) {
        threads.add(Thread.currentThread().getName());
        return inputs;
      }

      @Override
      public void close() {}
    };
    BatchingServable batching = new BatchingServable(recording, new BatchingOptions(4, Duration.ZERO), 1);
    String caller = Thread.currentThread().getName();
    batching.run("s", Map.of("x", rows(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))); // 5 rows: more than a batch holds
    batching.run("s", Map.of("x", WireTensor.of(DataType.DT_FLOAT, new long[0], new byte[4]))); // a scalar
    batching.run("s", Map.of("x", rows(1, 2), "y", rows(1, 2, 3, 4))); // inputs of different batch sizes
    batching.run("s", Map.of("x", rows(1, 2))); // one that can: queued, run by the batch thread
    assertEquals(List.of(caller, caller, caller, "serve-batch-0"), threads);
    batching.close();
  }

  @Test
  void aBatchedOutputWithoutTheBatchDimensionFailsEveryCallerOfTheBatch() throws Exception {
    Servable unbatched = new Servable() {
      @Override
      public Map<String, SignatureDef> signatures() {
        return Map.of();
      }

      @Override
      public Map<String, WireTensor> run(String signature, Map<String, WireTensor> inputs) {
        return Map.of("total", WireTensor.of(DataType.DT_FLOAT, new long[] {1}, new byte[4]));
      }

      @Override
      public void close() {}
    };
    BatchingServable batching = new BatchingServable(unbatched, new BatchingOptions(2, Duration.ofSeconds(60)), 1);
    CompletableFuture<ServingException> a = CompletableFuture.supplyAsync(() -> assertThrows(ServingException.class,
        () -> batching.run("s", Map.of("x", rows(1, 2)))), Executors.newSingleThreadExecutor());
    ServingException b = assertThrows(ServingException.class, () -> batching.run("s", Map.of("x", rows(3, 4))));
    assertEquals(Code.FAILED_PRECONDITION, b.code());
    assertEquals(b.getMessage(), a.get().getMessage());
    assertEquals("Batched output tensor's 0th dimension does not equal the sum of the 0th dimension sizes of the input"
        + " tensors (output 'total' has shape [1] for 2 rows)", b.getMessage());
    batching.close();
  }
}
