package io.mnisttf.cli;

import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.util.Problems;
import java.io.PrintWriter;
import org.tensorflow.exceptions.TensorFlowException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into what the user sees: one line {@code error: <message>} on standard error and an
 * exit code; the stack trace only with {@code --verbose}.
 */
final class Errors {
  private static final String TENSORFLOW_ERRORS = TensorFlowException.class.getPackageName();

  private Errors() {}

  /** Bad command line: exit 2 with a pointer to the help. */
  static int handleUsageError(ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    PrintWriter err = cli.getErr();
    err.println("error: " + Problems.firstLine(e.getMessage()));
    err.println("Try '" + cli.getCommandSpec().qualifiedName() + " --help' for the options.");
    err.flush();
    return Main.EXIT_USAGE;
  }

  /** A command failed: exit 1. */
  static int handleExecutionError(Exception e, CommandLine cli, ParseResult parsed) {
    PrintWriter err = cli.getErr();
    err.println("error: " + describe(e));
    if (verbose(parsed)) {
      e.printStackTrace(err);
    }
    err.flush();
    return e instanceof ParameterException ? Main.EXIT_USAGE : Main.EXIT_FAILURE;
  }

  /**
   * One line that says what went wrong, never a Java class name; TensorFlow's own errors (all in
   * {@code org.tensorflow.exceptions}, some of them {@code IllegalArgumentException}s) say that they are; a model
   * problem whose outcome an option changes names the option ({@link #hint}).
   */
  static String describe(Throwable e) {
    String line = Problems.describe(e);
    if (e instanceof SavedModelException model) {
      return line + hint(model.kind());
    }
    return e.getClass().getPackageName().equals(TENSORFLOW_ERRORS) ? "TensorFlow: " + line : line;
  }

  /** The option that changes the outcome of a model problem of {@code kind}, as the end of its line. */
  static String hint(SavedModelException.Kind kind) {
    return switch (kind) {
      case UNSAFE_OPS -> "; allow unsafe ops (--allow-unsafe-ops) only for a model you trust";
      case TAG_SET_NEEDED -> " (--tag-set)";
      case LOAD_TIMEOUT -> " (--load-timeout)";
      case BATCH_TIMEOUT -> " (--batch-timeout)";
      case MEMORY_LIMIT -> " (--worker-memory)";
      default -> "";
    };
  }

  private static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
