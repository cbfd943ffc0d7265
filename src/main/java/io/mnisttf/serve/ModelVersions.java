package io.mnisttf.serve;

import io.mnisttf.layout.VersionedExportDir;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The versions of one model, handled as TF Serving handles a model base path with its default policies (the
 * "latest" version policy and the availability-preserving load policy): the base folder is polled (every second
 * by default), and when its highest version (numbered as Serving numbers them: {@link VersionedExportDir}) is one
 * not yet served, it is loaded while the current one keeps serving; once it is ready, new requests go to it, and
 * the old version, which takes no new request, is closed when its requests have finished. No request fails
 * during a switch. A version that fails to load is reported in the status with its error and does not replace
 * the one served; it is tried again only when its folder changes. A base folder that empties keeps its served
 * version (as Serving's {@code servable_versions_always_present}).
 */
public final class ModelVersions implements AutoCloseable {
  private final String name;
  private final ServableLoader loader;
  private final Duration pollInterval;
  private final Duration drainTimeout;
  private final Consumer<String> log;
  /** Guards {@link #changes}; notified whenever a version changes state. */
  private final Object changeMonitor = new Object();
  private long changes;
  private final ConcurrentSkipListMap<Long, VersionSlot> slots = new ConcurrentSkipListMap<>(Comparator.reverseOrder());
  private final ScheduledExecutorService poller;
  private final ExecutorService unloader;
  private volatile VersionSlot latest;
  private final BaseFolder folder;
  private volatile boolean closed;

  /** A request's hold on a version: the version is not closed before the lease is. */
  public static final class Lease implements AutoCloseable {
    private final VersionSlot slot;
    private final Servable servable;
    private boolean released;

    private Lease(VersionSlot slot, Servable servable) {
      this.slot = slot;
      this.servable = servable;
    }

    public long version() {
      return slot.version();
    }

    public Servable servable() {
      return servable;
    }

    @Override
    public void close() {
      if (!released) {
        released = true;
        slot.release();
      }
    }
  }

  /**
   * @param name the model name (in messages and URLs)
   * @param base the model base path, holding numbered version folders
   * @param pollInterval how often {@code base} is looked at
   * @param drainTimeout how long an old version waits for its requests before it is closed anyway
   * @param log receives one line per load, switch, unload and failure
   */
  public ModelVersions(String name, Path base, ServableLoader loader, Duration pollInterval, Duration drainTimeout,
      Consumer<String> log) {
    this.name = name;
    this.loader = loader;
    this.pollInterval = pollInterval;
    this.drainTimeout = drainTimeout;
    this.log = log;
    this.folder = new BaseFolder(base, log);
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "serve-versions-" + name));
    this.unloader = Executors.newCachedThreadPool(r -> daemon(r, "serve-unload-" + name));
  }

  private static Thread daemon(Runnable r, String threadName) {
    Thread t = new Thread(r, threadName);
    t.setDaemon(true);
    return t;
  }

  /**
   * Loads the version the base folder serves now, then starts polling it.
   *
   * @throws ServingException when there is no version folder, or the version fails to load (its error)
   */
  public void start() throws ServingException {
    poll();
    VersionSlot served = latest;
    if (served == null) {
      VersionSlot failed = slots.isEmpty() ? null : slots.firstEntry().getValue();
      if (failed != null && failed.failed()) {
        VersionSlot.Status s = failed.status();
        throw new ServingException(s.error(), s.message());
      }
      throw folder.noVersion();
    }
    long millis = Math.max(1, pollInterval.toMillis());
    poller.scheduleWithFixedDelay(this::pollQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  public String name() {
    return name;
  }

  /**
   * A hold on version {@code version}, or on the latest one when {@code null}; close it when the request is done.
   *
   * @throws ServingException {@code NOT_FOUND} ("Servable not found for request: Latest(name)") when that version
   *     is not available
   */
  public Lease acquire(Long version) throws ServingException {
    for (int attempt = 0; attempt < 3 && !closed; attempt++) {
      VersionSlot slot = version == null ? latest : slots.get(version);
      Servable servable = slot == null ? null : slot.acquire();
      if (servable != null) {
        return new Lease(slot, servable);
      }
      if (version != null || slot == null || slot == latest) {
        break;
      }
      // the latest version changed between reading it and using it: the new one is ready, use it
    }
    throw ServingException.notFound("Servable not found for request: "
        + (version == null ? "Latest(" + name + ")" : "Specific(" + name + ", " + version + ")"));
  }

  /** Every version seen, highest first, with its state and the status of its last load. */
  public List<VersionSlot.Status> statuses() {
    List<VersionSlot.Status> all = new ArrayList<>();
    slots.values().forEach(s -> all.add(s.status()));
    return all;
  }

  /** The status of version {@code version}, if it was seen. */
  public Optional<VersionSlot.Status> status(long version) {
    VersionSlot s = slots.get(version);
    return s == null ? Optional.empty() : Optional.of(s.status());
  }

  /**
   * Waits until version {@code version}'s status satisfies {@code condition} (a version never seen has none),
   * woken by each change of a version's state rather than by polling; for callers that must act on a transition,
   * such as a health check or a test. Returns whether the condition held before {@code timeout} passed.
   */
  public boolean awaitStatus(long version, Predicate<VersionSlot.Status> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long seen;
      synchronized (changeMonitor) {
        seen = changes;
      }
      if (status(version).map(condition::test).orElse(false)) {
        return true;
      }
      synchronized (changeMonitor) {
        while (changes == seen) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          TimeUnit.NANOSECONDS.timedWait(changeMonitor, left);
        }
      }
    }
  }

  /** A slot changed state (called while it holds its own monitor: takes only {@link #changeMonitor}). */
  private void changed() {
    synchronized (changeMonitor) {
      changes++;
      changeMonitor.notifyAll();
    }
  }

  /** The version served to requests that name none, or -1. */
  public long latestVersion() {
    VersionSlot s = latest;
    return s == null ? -1 : s.version();
  }

  private void pollQuietly() {
    try {
      poll();
    } catch (RuntimeException e) {
      log.accept("error: model " + name + ": " + e);
    }
  }

  private synchronized void poll() {
    if (closed) {
      return;
    }
    VersionSlot current = latest;
    Optional<Path> served = folder.look(current == null ? -1 : current.version());
    if (served.isEmpty()) {
      return;
    }
    long version = VersionedExportDir.versionNumber(served.get().getFileName().toString()).getAsLong();
    if (current != null && current.version() == version) {
      return;
    }
    VersionSlot known = slots.get(version);
    if (known != null && known.state() != VersionSlot.State.END) {
      return; // loading or unloading: look again at the next poll
    }
    String fingerprint = BaseFolder.fingerprint(served.get());
    if (known != null && known.failed() && fingerprint.equals(known.failedFingerprint())) {
      return; // failed, and the folder has not changed since
    }
    load(version, served.get(), fingerprint);
  }

  private void load(long version, Path dir, String fingerprint) {
    VersionSlot slot = new VersionSlot(version, dir, this::changed);
    slots.put(version, slot);
    slot.loading();
    log.accept("Loading model " + name + " version " + version + " from " + dir);
    long start = System.nanoTime();
    Servable servable;
    try {
      servable = loader.load(dir, version);
    } catch (ServingException e) {
      slot.failed(e, fingerprint);
      VersionSlot current = latest;
      log.accept("error: model " + name + " version " + version + " failed to load: " + e.getMessage()
          + (current == null ? "" : "; still serving version " + current.version()));
      return;
    } catch (RuntimeException e) {
      slot.failed(new ServingException(Code.INTERNAL, dir + ": " + e), fingerprint);
      log.accept("error: model " + name + " version " + version + " failed to load: " + e);
      return;
    }
    if (closed) {
      servable.close();
      return;
    }
    VersionSlot old = latest;
    slot.available(servable, () -> latest = slot);
    log.accept(String.format(java.util.Locale.ROOT, "Serving model %s version %d (loaded in %.2fs)%s", name, version,
        (System.nanoTime() - start) / 1e9, old == null ? "" : "; unloading version " + old.version()));
    if (old != null) {
      unloader.execute(() -> unload(old));
    }
  }

  private void unload(VersionSlot old) {
    try {
      int abandoned = old.unload(drainTimeout.toMillis());
      if (abandoned > 0) {
        log.accept("warning: model " + name + " version " + old.version() + " closed with " + abandoned
            + " request(s) still running after " + drainTimeout.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops polling and closes every version, each after its requests in flight have finished (or the drain time
   * has passed).
   */
  @Override
  public void close() {
    closed = true;
    poller.shutdownNow();
    try {
      poller.awaitTermination(drainTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      for (VersionSlot slot : slots.values()) {
        unloader.execute(() -> unload(slot));
      }
      unloader.shutdown();
      unloader.awaitTermination(drainTimeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
