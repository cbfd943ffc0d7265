package io.mnisttf.cli;

import io.mnisttf.RunOptions;
import io.mnisttf.RunResult;
import io.mnisttf.TrainingRun;
import io.mnisttf.cli.console.EpochLog;
import io.mnisttf.cli.console.EpochLogger;
import io.mnisttf.cli.console.ProgressBarLogger;
import io.mnisttf.cli.console.Stopwatch;
import io.mnisttf.cli.console.Terminal;
import io.mnisttf.data.DataConfig;
import io.mnisttf.train.EpochMetrics;
import io.mnisttf.train.Metrics;
import io.mnisttf.train.TrainingListener;
import io.mnisttf.train.TrainingResult;
import io.mnisttf.util.ProcessMemory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code train}: the tutorial's training run, with its hyper-parameters as options. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Train the tutorial's network (or a convolutional one) on MNIST, report validation and test "
        + "metrics, export a SavedModel and record the run.",
    showDefaultValues = true)
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TrainSettings settings;

  @Option(names = "--export-dir", paramLabel = "DIR",
      description = "Export the trained model as a SavedModel into the next numbered version folder here "
          + "(TensorFlow Serving's layout).")
  Path exportDir = Path.of("saved-models", "mnist");

  @Option(names = "--no-export", description = "Do not export a SavedModel.")
  boolean noExport;

  @Option(names = "--runs-dir", paramLabel = "DIR",
      description = "Each run records its configuration, history, curves and metrics in a new folder "
          + "<DIR>/<timestamp>.")
  Path runsDir = RunOptions.RUNS_DIR_DEFAULT;

  @Option(names = "--logdir", paramLabel = "DIR",
      description = "Also write TensorBoard event files here (train/ and validation/).")
  Path logdir;

  @Option(names = "--checkpoint-dir", paramLabel = "DIR",
      description = "Save a checkpoint (weights, optimizer state, early-stopping state) after every epoch here.")
  Path checkpointDir;

  @Option(names = "--resume", paramLabel = "DIR",
      description = "Continue the run whose checkpoints are in DIR, with its settings (--epochs may extend it).")
  Path resume;

  @Option(names = "--test-each-epoch",
      description = "Also score the test set after every epoch (reported, never used to choose anything; its time"
          + " is left out of the training time and samples/s).")
  boolean testEachEpoch;

  @Option(names = "--quiet", description = "Print nothing but the result.")
  boolean quiet;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    RunOptions options = resume == null ? optionsFromFlags() : optionsFromCheckpoint();
    try (Interrupts interrupts = Interrupts.install(spec.commandLine().getErr());
        TrainingRun run = resume == null ? TrainingRun.start(options) : TrainingRun.resume(resume, options)) {
      return train(run, interrupts);
    }
  }

  private RunOptions optionsFromFlags() {
    if (settings.threads != null) {
      requirePositive("--threads", settings.threads);
    }
    return outputs(settings.runOptions(spec)).withCheckpointDir(checkpointDir);
  }

  /** A resumed run: the checkpoint's settings, with --epochs, --data and the outputs as given. */
  private RunOptions optionsFromCheckpoint() throws IOException {
    List<String> fixed = TrainSettings.RESUME_FIXED_OPTIONS.stream()
        .filter(name -> spec.commandLine().getParseResult().hasMatchedOption(name)).toList();
    if (!fixed.isEmpty()) {
      throw usage("--resume continues with the checkpoint's settings; " + String.join(", ", fixed)
          + " cannot be changed (only --epochs, --data and the output options can)");
    }
    RunOptions options = TrainingRun.resumeOptions(resume);
    if (matched("--epochs")) {
      requirePositive("--epochs", settings.epochs);
      options = options.withTrain(options.train().withEpochs(settings.epochs));
    }
    if (matched("--data")) {
      DataConfig d = options.data();
      options = options.withData(new DataConfig(settings.data, d.validationFraction(), d.seed(), d.limit()));
    }
    return outputs(options.withCheckpointDir(checkpointDir != null ? checkpointDir : resume));
  }

  private RunOptions outputs(RunOptions options) {
    return options.withRunsDir(runsDir).withLogdir(logdir);
  }

  private boolean matched(String option) {
    return spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  /** Trains, then prints and exports what the run gives. */
  private int train(TrainingRun run, Interrupts interrupts) throws IOException {
    PrintWriter log = common.json ? spec.commandLine().getErr() : spec.commandLine().getOut();
    TrainingRun.Startup startup = run.startup();
    info(log, String.format(Locale.ROOT,
        "Loaded MNIST from %s in %.2fs: %d training, %d validation, %d test examples", run.options().data().dataDir(),
        startup.dataSeconds(), startup.trainExamples(), startup.validationExamples(), startup.testExamples()));
    if (startup.resumedFrom() != null) {
      info(log, "Resumed from " + startup.resumedFrom() + " after epoch " + startup.resumedEpochs());
    }
    interrupts.onFirstSignal(run::stopAfterCurrentStep, "Stopping after the current step");
    EpochLog epochLog = new EpochLog(run, testEachEpoch, quiet ? null : log);
    RunResult result = run.fit(List.of(progress(log), epochLog));
    interrupts.onFirstSignal(() -> { }, "Finishing evaluation and export");
    TrainingResult training = result.training();
    if (training.diverged()) {
      throw new IllegalStateException("training diverged: " + training.stopReason() + "; nothing was exported"
          + " (a smaller --learning-rate may help)");
    }
    if (training.stoppedEarly()) {
      info(log, (training.interrupted() ? "Interrupted: " : "Early stopping: ") + training.stopReason());
    }
    if (!result.trained()) {
      result(log, "No epoch completed: nothing to evaluate or export.");
      return Interrupts.EXIT_INTERRUPTED;
    }
    info(log, String.format(Locale.ROOT, "Restored the %s of epoch %d (best %s %.4f)",
        run.options().train().adam().averaged() ? "moving average of the weights" : "weights", result.bestEpoch(),
        run.options().earlyStopping().monitor(), result.best().get(run.options().earlyStopping().monitor())));
    Metrics test = result.test();
    result(log, String.format(Locale.ROOT, "Test: loss %.4f - accuracy %.4f (%d examples)", test.loss(),
        test.accuracy(), test.examples()));
    info(log, String.format(Locale.ROOT, "Trained %d epoch(s) in %.2fs, %.0f samples/s", result.epochsTrained(),
        training.trainSeconds(), training.samplesPerSecond()));
    Path exported = null;
    long exportStart = System.nanoTime();
    if (!noExport) {
      exported = run.exportSavedModel(exportDir);
      result(log, (training.interrupted() ? "Exported the best model so far: " : "Exported SavedModel: ") + exported);
    }
    double exportSeconds = (System.nanoTime() - exportStart) / 1e9;
    info(log, "Run recorded in " + result.runDir());
    log.flush();
    if (common.json) {
      TrainSummary.Timings timings = new TrainSummary.Timings(startup.dataSeconds(), startup.graphSeconds(), result.firstStepSeconds(),
          result.steadyStepMillis(), result.epochSeconds(), result.testSeconds(), exportSeconds,
          new Stopwatch().sinceJvmStart());
      EpochMetrics best = result.best();
      PrintWriter out = spec.commandLine().getOut();
      out.println(Json.line(new TrainSummary(training.epochsRun(), training.stoppedEarly(), training.stopReason(),
          training.interrupted(), result.bestEpoch(), best.valLoss(), best.valAccuracy(), test.loss(),
          test.accuracy(), training.trainSeconds(), training.samplesPerSecond(),
          exported == null ? null : exported.toString(), String.valueOf(result.runDir()), timings,
          ProcessMemory.peakRssBytes().stream().mapToObj(b -> b / (1024 * 1024)).findFirst().orElse(null),
          run.options().train().model().architecture().name().toLowerCase(Locale.ROOT), epochLog.entries())));
      out.flush();
    }
    return training.interrupted() ? Interrupts.EXIT_INTERRUPTED : 0;
  }

  /** Epoch lines: a live bar on an interactive terminal, plain lines otherwise, nothing with --quiet. */
  private TrainingListener progress(PrintWriter log) {
    if (quiet) {
      return new TrainingListener() {};
    }
    if (Terminal.isInteractive()) {
      return new ProgressBarLogger(log);
    }
    return new EpochLogger(log);
  }

  private void info(PrintWriter log, String line) {
    if (!quiet) {
      log.println(line);
      log.flush();
    }
  }

  private void result(PrintWriter log, String line) {
    if (!quiet || !common.json) {
      log.println(line);
      log.flush();
    }
  }

  private void requirePositive(String option, long value) {
    if (value < 1) {
      throw usage(option + " must be a positive integer, got " + value);
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
