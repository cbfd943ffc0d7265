package io.mnisttf.savedmodel.internal.worker;

import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.WorkerLimits;
import io.mnisttf.util.ProcessMemory;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One model worker process ({@link WorkerMain}) and its pipes, seen from the parent once {@link WorkerLauncher}
 * has started it under the {@link WorkerLimits}: sends requests, waits for each
 * reply within a deadline while watching the worker's resident memory, and turns every way the worker can
 * fail (a signal, an exit, a timeout, the memory cap, garbage or the end of the pipe) into a
 * {@link SavedModelException} with one line for the user. The worker is always stopped and reaped: on
 * {@link #close}, on every failure, and by a shutdown hook when the parent itself is interrupted.
 */
public final class WorkerProcess implements AutoCloseable {
  public static final String MAIN_CLASS = WorkerMain.class.getName();
  /** How often the worker's memory is looked at while a reply is awaited. */
  private static final long POLL_MILLIS = 25;
  /** How long a worker that broke the pipe gets to finish dying (and report why) before it is killed. */
  private static final long DEATH_GRACE_MILLIS = 3000;
  /**
   * How long a worker asked to close gets to exit: a few seconds, or a minute when it is to dump a class-data
   * sharing archive at exit ({@link WorkerCommand#dumpArchive}), which a kill would leave half-written.
   */
  private static final long EXIT_GRACE_MILLIS = WorkerCommand.dumpArchive() == null ? DEATH_GRACE_MILLIS : 60_000;
  private static final Object END = new Object();

  private Path model;
  private WorkerLimits limits = WorkerLimits.DEFAULTS;
  private final Process process;
  private final DataOutputStream requests;
  private final WorkerStderr stderr;
  private final BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
  private final Thread shutdownHook;
  private boolean closed;

  /** Takes charge of a started worker: reads its replies and its standard error, and stops it at exit. */
  WorkerProcess(Process process) {
    this.process = process;
    this.requests = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
    this.stderr = new WorkerStderr(process.getErrorStream());
    Thread reader = new Thread(this::readReplies, "model-worker-stdout");
    reader.setDaemon(true);
    reader.start();
    this.shutdownHook = new Thread(this::kill, "model-worker-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Gives a started worker its model (named in error messages), its limits and a sink for its standard error,
   * and limits its address space; on failure the worker is stopped.
   */
  void assign(Path model, WorkerLimits limits, Consumer<String> log) throws SavedModelException {
    this.model = model;
    this.limits = limits;
    stderr.sendTo(log);
    limitAddressSpace();
  }

  /** Whether the worker is still running (a spare one may have died while it waited). */
  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Limits the worker's address space to its memory limit plus what the JVM and TensorFlow reserve, with
   * util-linux's {@code prlimit --pid} (where there is none, the resident-memory watch alone applies).
   */
  private void limitAddressSpace() throws SavedModelException {
    try {
      WorkerCommand.limitAddressSpace(process, limits.memoryBytes() + WorkerLimits.RESERVED_ADDRESS_SPACE,
          DEATH_GRACE_MILLIS);
    } catch (IOException e) {
      close(false);
      throw new SavedModelException(model, SavedModelException.Kind.WORKER_FAILED, "cannot limit the model worker's memory (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close(false);
      throw new SavedModelException(model, SavedModelException.Kind.WORKER_FAILED, "interrupted while starting the model worker");
    }
  }

  /** The worker's process id. */
  public long pid() {
    return process.pid();
  }

  /** Sends a request; a worker that is gone makes it fail as {@link #await} would explain. */
  public void send(Frame request, String phase) throws SavedModelException {
    try {
      request.write(requests);
    } catch (IOException e) {
      throw died(phase, "its input pipe closed");
    }
  }

  /**
   * Waits for the reply to the last request.
   *
   * @param expected the reply type that means success
   * @param timeout how long the worker gets
   * @param phase what it is doing, for messages: {@code "while loading the model"}
   * @param timeoutKind what it is when the worker takes longer: {@code LOAD_TIMEOUT} or {@code BATCH_TIMEOUT}
   * @throws SavedModelException on an {@code ERROR} reply (its message), or when the worker fails in any way
   *     (it is then stopped)
   */
  public Frame await(Frame.Type expected, Duration timeout, String phase, SavedModelException.Kind timeoutKind)
      throws SavedModelException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Object reply;
      try {
        reply = replies.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kill();
        throw new SavedModelException(model, SavedModelException.Kind.WORKER_FAILED, "interrupted " + phase);
      }
      if (reply instanceof Frame frame) {
        if (frame.type() == expected) {
          return frame;
        }
        if (frame.type() == Frame.Type.ERROR) {
          Messages.Failure failure;
          try {
            failure = Messages.parse(frame, Messages.Failure.class);
          } catch (Frame.ProtocolException e) {
            kill();
            throw new SavedModelException(model, SavedModelException.Kind.WORKER_FAILED, "the model worker broke the protocol " + phase
                + " (" + e.getMessage() + ")");
          }
          if (failure.path() == null || failure.problem() == null || failure.problem().isBlank()) {
            throw new SavedModelException(model, SavedModelException.Kind.WORKER_FAILED, "failed " + phase);
          }
          throw failure.exception();
        }
        kill();
        throw new SavedModelException(model, SavedModelException.Kind.WORKER_FAILED, "the model worker broke the protocol " + phase + " (" + frame.type()
            + " instead of " + expected + ")");
      }
      if (reply != null) {
        throw died(phase, reply == END ? null : ((IOException) reply).getMessage());
      }
      OptionalLong rss = ProcessMemory.rssBytes(process.pid());
      if (rss.isPresent() && rss.getAsLong() > limits.memoryBytes()) {
        kill();
        throw new SavedModelException(model, SavedModelException.Kind.MEMORY_LIMIT, String.format(Locale.ROOT, "the model used more"
            + " than %d MB of memory %s (%d MB resident); the worker was stopped", limits.memoryBytes() >> 20, phase,
            rss.getAsLong() >> 20));
      }
      if (System.nanoTime() - deadline > 0) {
        kill();
        throw new SavedModelException(model, timeoutKind, String.format(Locale.ROOT, "the model took longer than %s"
            + " %s; the worker was stopped", seconds(timeout), phase));
      }
    }
  }

  /** The worker's pipe ended or carried garbage: waits for it to die, then says how it died. */
  private SavedModelException died(String phase, String protocolProblem) {
    boolean exited;
    try {
      exited = process.waitFor(DEATH_GRACE_MILLIS, TimeUnit.MILLISECONDS);
      if (exited) {
        stderr.awaitEnd(DEATH_GRACE_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exited = false;
    }
    if (!exited) {
      kill();
    }
    if (!exited || protocolProblem != null && !WorkerDeath.crashed(process.exitValue(), stderr)) {
      return new SavedModelException(model, SavedModelException.Kind.WORKER_FAILED, "the model worker broke"
          + " the protocol " + phase + " (" + (protocolProblem == null ? "its output ended" : protocolProblem) + "); the worker was stopped");
    }
    return WorkerDeath.exception(model, process.exitValue(), phase, stderr, limits);
  }

  private void readReplies() {
    DataInputStream in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
    try {
      while (true) {
        replies.add(Frame.read(in));
      }
    } catch (EOFException e) {
      replies.add(END);
    } catch (IOException e) {
      replies.add(e);
      try {
        in.transferTo(OutputStream.nullOutputStream()); // let the worker finish dying
      } catch (IOException closed) {
        // gone
      }
    }
  }

  /** Stops the worker and whatever it started, and reaps it. */
  private void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(DEATH_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Asks the worker to close its model and exit, and stops it when it does not. */
  @Override
  public void close() {
    close(true);
  }

  /**
   * Ends the worker: with {@code graceful}, asks it to close its model and exit, and stops it when it does not
   * within a few seconds; otherwise stops it at once (a worker still loading a model that is not wanted any
   * more). Idempotent.
   */
  public void close(boolean graceful) {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (graceful && process.isAlive()) {
        try {
          Frame.of(Frame.Type.CLOSE).write(requests);
          requests.close();
          if (!process.waitFor(EXIT_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
            kill();
          }
        } catch (IOException e) {
          kill();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          kill();
        }
      }
    } finally {
      kill();
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: it kills the already reaped worker again, harmlessly
      }
    }
  }

  public static String seconds(Duration d) {
    double s = d.toMillis() / 1000.0;
    return s == Math.rint(s) ? String.format(Locale.ROOT, "%.0f s", s) : String.format(Locale.ROOT, "%.1f s", s);
  }
}
