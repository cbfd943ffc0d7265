package io.mnisttf.serve;

import io.mnisttf.savedmodel.internal.worker.ModelCallException;
import io.mnisttf.savedmodel.internal.worker.ServingWorker;
import io.mnisttf.savedmodel.internal.worker.WireTensor;
import io.mnisttf.savedmodel.WorkerLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.tensorflow.proto.SignatureDef;

/**
 * A model version served by model worker processes ({@link ServingWorker}), each checking and loading the model
 * as {@code evaluate}'s worker does: a native abort, a hang or a runaway allocation in TensorFlow ends a worker,
 * never the server. Requests take a free worker (each runs one request at a time); a worker that dies, hangs past
 * the request time limit or outgrows its memory fails the request it was running ({@code INTERNAL}, or
 * {@code DEADLINE_EXCEEDED} for the time limit) and is replaced in the background, while the others go on.
 */
final class WorkerServable implements Servable {
  /**
   * How the workers of a version are run.
   *
   * @param workers worker processes per version (each loads the model: about 400 MB each for an MNIST model)
   * @param limits load time limit and memory limit of each worker
   * @param requestTimeout longest a model call may take; past it the worker is stopped and replaced
   * @param allowUnsafeOps load models whose graphs hold ops that touch files, the network or processes
   * @param log receives notices: a worker died and is being replaced, the new one is ready
   * @param workerLog receives the workers' standard error lines (TensorFlow's log)
   */
  record Options(int workers, WorkerLimits limits, Duration requestTimeout, boolean allowUnsafeOps,
      Consumer<String> log, Consumer<String> workerLog) {
    Options {
      if (workers < 1) {
        throw new IllegalArgumentException("at least one worker, got " + workers);
      }
    }
  }

  private final Path dir;
  private final Options options;
  private final Map<String, SignatureDef> signatures;
  private final LinkedBlockingQueue<ServingWorker> idle = new LinkedBlockingQueue<>();
  private final List<ServingWorker> all = new ArrayList<>();
  private final ExecutorService replacer;
  private volatile boolean closed;

  private WorkerServable(Path dir, Options options, Map<String, SignatureDef> signatures) {
    this.dir = dir;
    this.options = options;
    this.signatures = signatures;
    this.replacer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "serve-replace-worker");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts the workers of version folder {@code dir}; returns when all have loaded the model. */
  static WorkerServable start(Path dir, Options options) throws ServingException {
    ServingWorker first = startWorker(dir, options);
    WorkerServable servable = new WorkerServable(dir, options, first.signatures());
    servable.add(first);
    try {
      for (int i = 1; i < options.workers(); i++) {
        servable.add(startWorker(dir, options));
      }
    } catch (ServingException e) {
      servable.close();
      throw e;
    }
    return servable;
  }

  private static ServingWorker startWorker(Path dir, Options options) throws ServingException {
    try {
      return ServingWorker.start(dir, options.allowUnsafeOps(), options.limits(), options.workerLog());
    } catch (ModelCallException e) {
      throw new ServingException(Code.forNumber(e.code()), e.getMessage());
    } catch (ServingWorker.Gone e) {
      throw new ServingException(e.timedOut() ? Code.DEADLINE_EXCEEDED : Code.INTERNAL, e.getMessage());
    }
  }

  private synchronized void add(ServingWorker worker) {
    if (closed) {
      worker.close();
      return;
    }
    all.add(worker);
    idle.add(worker);
  }

  @Override
  public Map<String, SignatureDef> signatures() {
    return signatures;
  }

  @Override
  public Map<String, WireTensor> run(String signature, Map<String, WireTensor> inputs) throws ServingException {
    ServingWorker worker;
    // A request waits for a free worker as long as a dead one takes to be replaced and a call to run.
    Duration queue = options.limits().loadTimeout().plus(options.requestTimeout());
    try {
      worker = idle.poll(queue.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServingException(Code.CANCELLED, "interrupted while waiting for a model worker");
    }
    if (worker == null) {
      throw new ServingException(Code.UNAVAILABLE, dir + ": no model worker became free within "
          + queue.toSeconds() + " s");
    }
    try {
      return worker.run(signature, inputs, options.requestTimeout());
    } catch (ModelCallException e) {
      throw new ServingException(Code.forNumber(e.code()), e.getMessage());
    } catch (ServingWorker.Gone e) {
      replace(worker);
      throw new ServingException(e.timedOut() ? Code.DEADLINE_EXCEEDED : Code.INTERNAL, e.getMessage()
          + "; a new worker is starting");
    } finally {
      if (!worker.dead()) {
        if (closed) {
          worker.close();
        } else {
          idle.add(worker);
        }
      }
    }
  }

  /** Starts a worker in place of {@code gone}, trying again (every few seconds) until one loads or this closes. */
  private void replace(ServingWorker gone) {
    synchronized (this) {
      all.remove(gone);
    }
    if (closed) {
      return;
    }
    options.log().accept("warning: " + dir + ": a model worker died; starting a new one");
    replacer.execute(() -> {
      long backoff = 1000;
      while (!closed) {
        try {
          add(startWorker(dir, options));
          options.log().accept(dir + ": the new model worker is ready");
          return;
        } catch (ServingException e) {
          options.log().accept("error: " + dir + ": the new model worker failed: " + e.getMessage());
        }
        try {
          Thread.sleep(backoff); // a retry pause, not synchronisation
        } catch (InterruptedException e) {
          return;
        }
        backoff = Math.min(backoff * 2, 30_000);
      }
    });
  }

  /** Process ids of the live workers (for tests and diagnostics). */
  synchronized List<Long> workerPids() {
    return all.stream().filter(w -> !w.dead()).map(ServingWorker::workerPid).toList();
  }

  @Override
  public void close() {
    List<ServingWorker> toClose;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = new ArrayList<>(all);
    }
    replacer.shutdownNow();
    idle.clear();
    for (ServingWorker w : toClose) {
      w.close();
    }
  }
}
