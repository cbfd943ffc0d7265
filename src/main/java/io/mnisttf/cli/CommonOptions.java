package io.mnisttf.cli;

import picocli.CommandLine.Option;

/** Options every command takes. */
final class CommonOptions {
  @Option(names = "--json", description = "Print the result as one JSON object on the last line of "
      + "standard output; progress goes to standard error.")
  boolean json;

  @Option(names = "--verbose", description = "Print stack traces with errors.")
  boolean verbose;
}
