package io.mnisttf.savedmodel.internal.worker;

import io.mnisttf.savedmodel.SavedModelException;

import com.google.protobuf.InvalidProtocolBufferException;
import io.mnisttf.savedmodel.WorkerLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SignatureDef;

/**
 * One SavedModel version served from a model worker process ({@link WorkerMain}): the worker checks the model
 * as {@code evaluate}'s worker does (unknown or unsafe ops, malformed graphs and checkpoints), loads it, and runs
 * any of its signatures with named tensors ({@link WireTensor}), returning all of the signature's outputs. This
 * process reads nothing of the model but the signature defs the worker sends.
 *
 * <p>Two ways to fail are told apart: the worker refused or failed a request and lives on
 * ({@link ModelCallException}, with TensorFlow's status code), or the worker died, hung past the time limit or
 * outgrew its memory ({@link Gone}: it is stopped, and this object is dead for good). Requests are served one at
 * a time ({@link #run} is synchronized); close it (closing twice is harmless).
 *
 * <pre>{@code
 * try (ServingWorker model = ServingWorker.start(Path.of("saved-models/mnist/1"), false, WorkerLimits.DEFAULTS,
 *     line -> {})) {
 *   Map<String, WireTensor> outputs = model.run("serving_default", Map.of("images", images), Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class ServingWorker implements AutoCloseable {
  private static final String LOADING = "while loading the model";

  private final Path model;
  private final WorkerProcess worker;
  private final Map<String, SignatureDef> signatures;
  private volatile boolean dead;

  /** The worker died, hung or outgrew its memory, and was stopped. */
  public static final class Gone extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean timedOut;

    Gone(String message, boolean timedOut) {
      super(message);
      this.timedOut = timedOut;
    }

    /** Whether it was stopped for taking longer than the time limit. */
    public boolean timedOut() {
      return timedOut;
    }
  }

  private ServingWorker(Path model, WorkerProcess worker, Map<String, SignatureDef> signatures) {
    this.model = model;
    this.worker = worker;
    this.signatures = signatures;
  }

  /**
   * Starts a worker and has it check and load the model of a version folder; returns when it is ready.
   *
   * @param versionDir the SavedModel version folder (it must hold {@code saved_model.pb} itself)
   * @param allowUnsafeOps load the model even when its graph holds ops that touch files, the network or processes
   * @param limits the load time limit and the memory limit apply ({@link WorkerLimits#batchTimeout()} is not
   *     used: each {@link #run} gets its own time limit)
   * @param log receives each line of the worker's standard error (TensorFlow's log)
   * @throws ModelCallException when the model is refused or fails to load (the worker is stopped)
   * @throws Gone when the worker dies or takes longer than the load time limit
   */
  public static ServingWorker start(Path versionDir, boolean allowUnsafeOps, WorkerLimits limits,
      Consumer<String> log) throws ModelCallException, Gone {
    long start = System.nanoTime();
    WorkerProcess worker;
    try {
      worker = WorkerLauncher.start(versionDir, limits, log);
    } catch (SavedModelException e) {
      throw new Gone(e.getMessage(), false);
    }
    try {
      worker.send(ServingFrames.open(versionDir.toString(), allowUnsafeOps), LOADING);
      Messages.parse(worker.await(Frame.Type.HELLO, limits.loadTimeout(), LOADING, SavedModelException.Kind.LOAD_TIMEOUT),
          Messages.Hello.class);
      Duration left = Duration.ofNanos(Math.max(1, limits.loadTimeout().toNanos() - (System.nanoTime() - start)));
      ServingFrames.Reply<byte[]> opened = ServingFrames.readOpened(
          worker.await(Frame.Type.SERVE_OPENED, left, LOADING, SavedModelException.Kind.LOAD_TIMEOUT));
      if (!opened.ok()) {
        worker.close(true);
        throw new ModelCallException(opened.code(), opened.message());
      }
      Map<String, SignatureDef> signatures = MetaGraphDef.parseFrom(opened.body()).getSignatureDefMap();
      return new ServingWorker(versionDir, worker, signatures);
    } catch (SavedModelException e) {
      worker.close(false);
      throw new Gone(e.getMessage(), System.nanoTime() - start >= limits.loadTimeout().toNanos());
    } catch (Frame.ProtocolException | InvalidProtocolBufferException e) {
      worker.close(false);
      throw new Gone(versionDir + ": the model worker broke the protocol " + LOADING + " (" + e.getMessage() + ")",
          false);
    } catch (RuntimeException e) {
      worker.close(false);
      throw e;
    }
  }

  /** The model's signature defs, by key, as its MetaGraphDef holds them. */
  public Map<String, SignatureDef> signatures() {
    return signatures;
  }

  /** The worker's process id (for tests and diagnostics). */
  public long workerPid() {
    return worker.pid();
  }

  /** Whether the worker is gone (a {@link #run} failed with {@link Gone}, or it was closed). */
  public boolean dead() {
    return dead;
  }

  /**
   * Runs signature {@code signature} with {@code inputs} (exactly the signature's inputs, by key).
   *
   * @param timeout how long the call may take; past it the worker is stopped
   * @return every output of the signature, by key
   * @throws ModelCallException when the worker refuses the inputs or TensorFlow fails (the worker lives on)
   * @throws Gone when the worker dies, hangs past {@code timeout} or outgrows its memory (it is stopped)
   */
  public synchronized Map<String, WireTensor> run(String signature, Map<String, WireTensor> inputs,
      Duration timeout) throws ModelCallException, Gone {
    if (dead) {
      throw new Gone(model + ": the model worker is stopped", false);
    }
    long bytes = ServingFrames.size(inputs);
    if (bytes > Frame.MAX_PAYLOAD - 65536) {
      throw new ModelCallException(ServingSession.RESOURCE_EXHAUSTED, "the request's tensors take " + bytes
          + " bytes, more than the " + Frame.MAX_PAYLOAD + " bytes a model worker accepts");
    }
    String phase = "while running signature '" + signature + "'";
    long start = System.nanoTime();
    try {
      worker.send(ServingFrames.run(signature, inputs), phase);
      ServingFrames.Reply<Map<String, WireTensor>> reply = ServingFrames.readResult(
          worker.await(Frame.Type.SERVE_RESULT, timeout, phase, SavedModelException.Kind.BATCH_TIMEOUT));
      if (!reply.ok()) {
        throw new ModelCallException(reply.code(), reply.message());
      }
      return reply.body();
    } catch (SavedModelException e) {
      dead = true;
      worker.close(false);
      throw new Gone(e.getMessage(), System.nanoTime() - start >= timeout.toNanos());
    } catch (Frame.ProtocolException e) {
      dead = true;
      worker.close(false);
      throw new Gone(model + ": the model worker broke the protocol " + phase + " (" + e.getMessage() + ")", false);
    }
  }

  /** Closes the model in the worker and ends it (stopping it if it does not end); idempotent. */
  @Override
  public void close() {
    boolean wasDead = dead;
    dead = true;
    worker.close(!wasDead);
  }
}
