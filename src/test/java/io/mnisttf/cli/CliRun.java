package io.mnisttf.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.mnisttf.testing.UserText;
import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the command line: exit code, standard output and standard error. */
record CliRun(int exitCode, String out, String err) {
  /**
   * Runs the command line in this JVM. Every {@code error:} line it prints is checked to name the problem, not
   * a Java class.
   */
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    CliRun run = new CliRun(code, out.toString(), err.toString());
    for (String line : run.errLines()) {
      if (line.startsWith("error: ")) {
        UserText.assertNoJavaNames(line);
      }
    }
    return run;
  }

  /** The last line of standard output, parsed as a JSON object. */
  JsonObject json() {
    String[] lines = out.strip().split("\n");
    return JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
  }

  /** Standard error's lines. */
  String[] errLines() {
    return err.strip().isEmpty() ? new String[0] : err.strip().split("\n");
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
