package io.mnisttf.runs;

import io.mnisttf.train.EpochMetrics;
import io.mnisttf.train.TrainingContext;
import io.mnisttf.train.TrainingListener;
import io.mnisttf.util.AtomicFiles;
import io.mnisttf.util.SerialWrites;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;

/**
 * Records a training run in its own folder:
 * <pre>
 * config.json    the resolved configuration (written at train begin)
 * history.csv    epoch,loss,accuracy,val_loss,val_accuracy,seconds (rewritten after every epoch)
 * history.json   the same as a list of objects (rewritten after every epoch)
 * metrics.json   final metrics and the exported SavedModel folder (written by {@link #finish})
 * </pre>
 * The folder is created when training begins, never reused: {@code <root>/<yyyyMMdd-HHmmss>} in local time,
 * with {@code -2}, {@code -3}, ... if taken ({@link #inRoot}), or an exact folder that must not exist yet
 * ({@link #at}). Each file is replaced atomically ({@link AtomicFiles}), so a crash leaves complete files of
 * the epochs done. Every {@code onTrainBegin} starts a new folder.
 *
 * <p>The folder is created at once; its files are written on a background thread, in order ({@link SerialWrites}),
 * so that training does not wait for the disk: each file is forced to disk before it replaces the last, which
 * took 35-40 ms of a 0.8 s default training on the training thread (PERFORMANCE.md), and takes far longer on a slow
 * or network disk. {@code history.csv} and {@code history.json} hold an epoch a few milliseconds after it ends;
 * when {@code onTrainEnd} returns (before {@code Trainer.fit} does) every file is on disk. {@link #awaitWrites}
 * waits for them at any other time.
 *
 * <p>Usage: {@code recorder = RunRecorder.inRoot(RunFolders.DEFAULT_ROOT, config)}; pass it to
 * {@code Trainer.fit} with the other listeners; then {@code recorder.finish(FinalMetrics.of(result, test,
 * bestEpoch), exportDirOrNull)}.
 *
 * <p>I/O errors are thrown as {@link UncheckedIOException}s naming the file: the folder's at once, a file's by the
 * next {@code onEpochEnd} or by {@code onTrainEnd}, which stop the training.
 */
public final class RunRecorder implements TrainingListener {
  public static final String CONFIG_FILE = "config.json";
  public static final String METRICS_FILE = "metrics.json";

  private final Path root;
  private final Path exactDir;
  private final Object config;
  private final Clock clock;
  private Path runDir;
  private SerialWrites writes;

  private RunRecorder(Path root, Path exactDir, Object config, Clock clock) {
    if (config == null) {
      throw new IllegalArgumentException("run configuration must be given");
    }
    this.root = root;
    this.exactDir = exactDir;
    this.config = config;
    this.clock = clock;
  }

  /**
   * Runs go to a new {@code <root>/<yyyyMMdd-HHmmss>[-n]}, stamped in the system's local time.
   *
   * @param config every hyper-parameter and the seed: a record (components become snake_case keys) or a
   *     {@code Map<String, Object>} (keys written as given, so give them in snake_case)
   */
  public static RunRecorder inRoot(Path root, Object config) {
    return inRoot(root, config, Clock.systemDefaultZone());
  }

  /** As {@link #inRoot(Path, Object)}, stamping folder names with {@code clock}'s local time. */
  public static RunRecorder inRoot(Path root, Object config, Clock clock) {
    return new RunRecorder(root, null, config, clock);
  }

  /** The run goes to exactly {@code runDir}, which must not exist when training begins. */
  public static RunRecorder at(Path runDir, Object config) {
    return new RunRecorder(null, runDir, config, Clock.systemDefaultZone());
  }

  /** Creates the run folder and starts writing {@code config.json}. */
  @Override
  public void onTrainBegin(TrainingContext context) {
    runDir = null;
    try {
      awaitWrites(); // a folder of an earlier run of this recorder is complete before the next begins
      Path dir = exactDir != null ? RunFolders.createNew(exactDir)
          : RunFolders.createUnique(root, LocalDateTime.now(clock));
      runDir = dir;
      writes = new SerialWrites("run-folder-writer");
      writes.submit(() -> AtomicFiles.writeString(dir.resolve(CONFIG_FILE), RunJson.toJson(config)));
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** Starts rewriting {@code history.csv} and {@code history.json} with every epoch so far. */
  @Override
  public void onEpochEnd(EpochMetrics metrics, TrainingContext context) {
    if (runDir == null) {
      throw new IllegalStateException("onEpochEnd before onTrainBegin: no run folder yet");
    }
    List<EpochMetrics> epochs = List.copyOf(context.history());
    Path dir = runDir;
    try {
      writes.submit(() -> {
        AtomicFiles.writeString(dir.resolve(RunHistory.CSV_FILE), RunHistory.toCsv(epochs));
        AtomicFiles.writeString(dir.resolve(RunHistory.JSON_FILE), RunHistory.toJson(epochs));
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** Waits until the run folder's files are on disk. */
  @Override
  public void onTrainEnd(TrainingContext context) {
    try {
      awaitWrites();
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /**
   * Waits until the files started so far are on disk (done by {@code onTrainEnd}).
   *
   * @throws IOException a file that could not be written
   */
  public void awaitWrites() throws IOException {
    if (writes != null) {
      writes.await();
    }
  }

  /**
   * Writes {@code metrics.json}: the final metrics and the export folder, so the run folder leads to the
   * model it produced.
   *
   * @param metrics the test evaluation and training summary
   * @param exportDir the SavedModel folder written for this run, or null when export was disabled; stored as
   *     an absolute path
   * @return the file written
   */
  public Path finish(FinalMetrics metrics, Path exportDir) throws IOException {
    if (runDir == null) {
      throw new IllegalStateException("finish before training began: no run folder yet");
    }
    awaitWrites();
    Path file = runDir.resolve(METRICS_FILE);
    String export = exportDir == null ? null : exportDir.toAbsolutePath().normalize().toString();
    AtomicFiles.writeString(file, RunJson.toJson(new MetricsFile(metrics.testLoss(), metrics.testAccuracy(),
        metrics.testExamples(), metrics.epochsRun(), metrics.stoppedEarly(), metrics.stopReason(),
        metrics.bestEpoch(), metrics.bestValLoss(), metrics.bestValAccuracy(), metrics.trainSeconds(),
        metrics.samplesPerSecond(), export)));
    return file;
  }

  /** The run folder of the current or last run, null before training began. */
  public Path runDir() {
    return runDir;
  }

  /** The layout of {@code metrics.json}: {@link FinalMetrics} and the export folder. */
  private record MetricsFile(double testLoss, double testAccuracy, int testExamples, int epochsRun,
      boolean stoppedEarly, String stopReason, int bestEpoch, double bestValLoss, double bestValAccuracy,
      double trainSeconds, double samplesPerSecond, String exportDir) {}
}
