package io.mnisttf.cli;

import io.mnisttf.runtime.JavaCppSettings;
import io.mnisttf.runtime.QuietTensorFlow;
import io.mnisttf.runtime.SessionThreads;
import io.mnisttf.savedmodel.Classifiers;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Command-line entry point: {@code mnist-tf-java <command> [options]}, where the command is {@code train}
 * (also the default with no command) or another of the subcommands.
 *
 * <p>Exit codes: 0 success, 1 failure (bad data, bad model, runtime error), 2 usage error. Errors are one
 * line {@code error: ...} on standard error; {@code --verbose} adds the stack trace.
 */
@Command(name = "mnist-tf-java",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "The Keras MNIST tutorial on TensorFlow Java: train, export and evaluate SavedModels.%n"
        + "With no command, runs 'train'.",
    subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, InspectCommand.class,
        CheckDataCommand.class, BenchmarkCommand.class, ServeCommand.class,
        CommandLine.HelpCommand.class})
public final class Main {
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;

  private static final Set<String> TOP_LEVEL_OPTIONS = Set.of("-h", "--help", "-V", "--version");
  /**
   * First arguments of commands that never touch TensorFlow (no need to load its library early); {@code serve}
   * runs its models in worker processes.
   */
  private static final Set<String> TENSORFLOW_FREE = Set.of("check-data", "help", "-h", "--help", "serve");

  private Main() {}

  public static void main(String[] args) {
    JavaCppSettings.apply(); // before any TensorFlow class loads
    if (args.length > 0 && runsModelInWorker(args)) {
      Classifiers.prestart(); // this process never loads TensorFlow: the worker does
    } else if (args.length == 0 || !TENSORFLOW_FREE.contains(args[0])) {
      SessionThreads.apply(); // before any thread starts: each session runs on the threads it asks for
      QuietTensorFlow.start(); // loads TensorFlow (about 0.8 s) on a background thread while the command starts
    }
    int code = run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    System.exit(code);
  }

  /**
   * {@code evaluate} and {@code predict} run TensorFlow in a worker process unless {@code --in-process}: that
   * worker starts now, while the command line is parsed, and this process never loads TensorFlow.
   */
  static boolean runsModelInWorker(String[] args) {
    List<String> all = Arrays.asList(args);
    return (args[0].equals("evaluate") || args[0].equals("predict")) && !all.contains("--in-process")
        && !all.contains("--help") && !all.contains("-h");
  }

  /** Runs the command line and returns the exit code (the testable part of {@link #main}). */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main())
        .setOut(out)
        .setErr(err)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setParameterExceptionHandler(Errors::handleUsageError)
        .setExecutionExceptionHandler(Errors::handleExecutionError);
    return cli.execute(withDefaultCommand(cli, args));
  }

  /** Runs 'train' when no command is named: no arguments, or options only. */
  static String[] withDefaultCommand(CommandLine cli, String[] args) {
    if (args.length > 0
        && (!args[0].startsWith("-") || TOP_LEVEL_OPTIONS.contains(args[0]))) {
      return args; // a command (or an unknown word picocli reports), or top-level help/version
    }
    String[] withTrain = new String[args.length + 1];
    withTrain[0] = "train";
    System.arraycopy(args, 0, withTrain, 1, args.length);
    return withTrain;
  }
}
