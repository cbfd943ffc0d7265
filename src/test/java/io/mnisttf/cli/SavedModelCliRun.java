package io.mnisttf.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the command line for the evaluate/inspect tests: exit code, stdout, stderr. */
record SavedModelCliRun(int exitCode, String out, String err) {
  static SavedModelCliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new SavedModelCliRun(code, out.toString(), err.toString());
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
