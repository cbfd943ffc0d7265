package io.mnisttf.serve;

import io.mnisttf.savedmodel.internal.worker.WireTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;

/**
 * Request batching in front of a {@link Servable}, as TF Serving's {@code --enable_batching} does it: calls of
 * the same signature whose inputs agree in dtype and in every dimension but the first are queued and joined into
 * one call along that first (batch) dimension, of at most {@link BatchingOptions#maxBatchSize()} rows, the first
 * call waiting at most {@link BatchingOptions#batchTimeout()} for others; each output is split back by rows (every
 * output must have the joined batch size). A call that cannot be joined (a scalar input, inputs of different batch
 * sizes, more rows than a batch holds) runs on its own.
 */
final class BatchingServable implements Servable {
  private final Servable inner;
  private final BatchingOptions options;
  private final LinkedBlockingDeque<Task> queue = new LinkedBlockingDeque<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean closed;

  private record Task(String signature, Map<String, WireTensor> inputs, long rows, long enqueued,
      CompletableFuture<Map<String, WireTensor>> result) {}

  /** @param threads batches run at once (one per model worker keeps every worker busy) */
  BatchingServable(Servable inner, BatchingOptions options, int threads) {
    this.inner = inner;
    this.options = options;
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(this::loop, "serve-batch-" + i);
      t.setDaemon(true);
      t.start();
      this.threads.add(t);
    }
  }

  @Override
  public Map<String, SignatureDef> signatures() {
    return inner.signatures();
  }

  @Override
  public Map<String, WireTensor> run(String signature, Map<String, WireTensor> inputs) throws ServingException {
    long rows = rows(inputs);
    if (rows < 1 || rows > options.maxBatchSize() || closed) {
      return inner.run(signature, inputs);
    }
    Task task = new Task(signature, inputs, rows, System.nanoTime(), new CompletableFuture<>());
    queue.add(task);
    try {
      return task.result().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServingException(Code.CANCELLED, "interrupted while waiting for a batch");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ServingException s) {
        throw s;
      }
      throw new ServingException(Code.INTERNAL, String.valueOf(e.getCause()));
    }
  }

  /** The batch size every input shares, or -1 when they do not (or one is a scalar). */
  private static long rows(Map<String, WireTensor> inputs) {
    long rows = -1;
    for (WireTensor t : inputs.values()) {
      if (t.rank() == 0 || (rows >= 0 && t.dim(0) != rows)) {
        return -1;
      }
      rows = t.dim(0);
    }
    return rows;
  }

  /** Whether two calls can share a batch: same signature, inputs, dtypes and dimensions after the first. */
  private static boolean compatible(Task a, Task b) {
    if (!a.signature().equals(b.signature()) || !a.inputs().keySet().equals(b.inputs().keySet())) {
      return false;
    }
    for (Map.Entry<String, WireTensor> e : a.inputs().entrySet()) {
      WireTensor x = e.getValue();
      WireTensor y = b.inputs().get(e.getKey());
      if (x.dtype() != y.dtype() || x.rank() != y.rank()) {
        return false;
      }
      for (int i = 1; i < x.rank(); i++) {
        if (x.dim(i) != y.dim(i)) {
          return false;
        }
      }
    }
    return true;
  }

  private void loop() {
    while (!closed) {
      Task first;
      try {
        first = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      List<Task> batch = new ArrayList<>();
      batch.add(first);
      long rows = first.rows();
      long deadline = first.enqueued() + options.batchTimeout().toNanos();
      try {
        while (rows < options.maxBatchSize()) {
          Task next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          if (!compatible(first, next) || rows + next.rows() > options.maxBatchSize()) {
            queue.addFirst(next);
            break;
          }
          batch.add(next);
          rows += next.rows();
        }
      } catch (InterruptedException e) {
        batch.forEach(t -> t.result().completeExceptionally(new ServingException(Code.UNAVAILABLE, "shutting down")));
        return;
      }
      execute(batch, rows);
    }
  }

  private void execute(List<Task> batch, long rows) {
    Task first = batch.get(0);
    try {
      if (batch.size() == 1) {
        first.result().complete(inner.run(first.signature(), first.inputs()));
        return;
      }
      Map<String, WireTensor> joined = new LinkedHashMap<>();
      for (String name : first.inputs().keySet()) {
        joined.put(name, concat(batch.stream().map(t -> t.inputs().get(name)).toList(), rows));
      }
      Map<String, WireTensor> outputs = inner.run(first.signature(), joined);
      for (Map.Entry<String, WireTensor> out : outputs.entrySet()) {
        if (out.getValue().rank() == 0 || out.getValue().dim(0) != rows) {
          throw new ServingException(Code.FAILED_PRECONDITION, "Batched output tensor's 0th dimension does not equal"
              + " the sum of the 0th dimension sizes of the input tensors (output '" + out.getKey() + "' has shape "
              + PredictCodec.shapeText(out.getValue().shape()) + " for " + rows + " rows)");
        }
      }
      long from = 0;
      for (Task t : batch) {
        Map<String, WireTensor> mine = new LinkedHashMap<>();
        for (Map.Entry<String, WireTensor> out : outputs.entrySet()) {
          mine.put(out.getKey(), slice(out.getValue(), from, t.rows()));
        }
        from += t.rows();
        t.result().complete(mine);
      }
    } catch (ServingException | RuntimeException e) {
      batch.forEach(t -> t.result().completeExceptionally(e));
    }
  }

  /** Tensors joined along their first dimension. */
  static WireTensor concat(List<WireTensor> parts, long rows) {
    WireTensor first = parts.get(0);
    long[] shape = first.shape();
    shape[0] = rows;
    if (first.dtype() == DataType.DT_STRING) {
      List<byte[]> all = new ArrayList<>();
      parts.forEach(p -> all.addAll(Arrays.asList(p.strings())));
      return WireTensor.ofStrings(shape, all.toArray(new byte[0][]));
    }
    int total = 0;
    for (WireTensor p : parts) {
      total += p.data().length;
    }
    byte[] data = new byte[total];
    int at = 0;
    for (WireTensor p : parts) {
      System.arraycopy(p.data(), 0, data, at, p.data().length);
      at += p.data().length;
    }
    return WireTensor.of(first.dtype(), shape, data);
  }

  /** Rows {@code [from, from + count)} of a tensor. */
  static WireTensor slice(WireTensor t, long from, long count) {
    long[] shape = t.shape();
    long rowElements = t.count() / Math.max(1, shape[0]);
    shape[0] = count;
    if (t.dtype() == DataType.DT_STRING) {
      return WireTensor.ofStrings(shape, Arrays.copyOfRange(t.strings(), (int) (from * rowElements),
          (int) ((from + count) * rowElements)));
    }
    int size = WireTensor.elementSize(t.dtype());
    return WireTensor.of(t.dtype(), shape, Arrays.copyOfRange(t.data(), (int) (from * rowElements * size),
        (int) ((from + count) * rowElements * size)));
  }

  @Override
  public void close() {
    closed = true;
    threads.forEach(Thread::interrupt);
    Task t;
    while ((t = queue.poll()) != null) {
      t.result().completeExceptionally(new ServingException(Code.UNAVAILABLE, "the model version is closing"));
    }
    inner.close();
  }
}
