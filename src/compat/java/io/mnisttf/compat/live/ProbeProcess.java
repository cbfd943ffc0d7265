package io.mnisttf.compat.live;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link RuntimeProbe} in a child JVM whose class path is the probe's own class folder (or jar) and one
 * runtime's jars, nothing else: each TensorFlow native library gets a process of its own. Standard output
 * and error go to files beside each other ({@code NAME.out}, {@code NAME.err}); the error file is kept, so
 * TensorFlow's log lines of the load can be read afterwards. Native log lines are all on
 * ({@code TF_CPP_MIN_LOG_LEVEL=0}): the check looks for the "unknown attribute" warning among them.
 *
 * @param runtimeJars the folder holding the runtime's jars (the {@code compat} profile's copy)
 */
record ProbeProcess(Path runtimeJars) {
  /** Longest a probe may take (the CNN fixture runs 10 000 images in well under a minute). */
  static final long TIMEOUT_MINUTES = 10;

  /**
   * The outcome of one probe run.
   *
   * @param exitCode the child's exit code (134 or 139 for a native abort)
   * @param stdout its standard output lines
   * @param stderr its standard error
   */
  record Outcome(int exitCode, List<String> stdout, String stderr) {
    /** The probe's {@code ok ...} or {@code error ...} line, or a description of how the child died. */
    String status() {
      for (String line : stdout) {
        if (line.startsWith("ok ") || line.startsWith("error ")) {
          return line;
        }
      }
      return "error crash: the JVM exited with code " + exitCode + " without a result";
    }
  }

  /** Runs the probe with {@code args}, logging into {@code logBase}{@code .out/.err}. */
  Outcome run(Path logBase, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC", "-cp",
        classPath(), RuntimeProbe.class.getName()));
    command.addAll(List.of(args));
    Files.createDirectories(logBase.toAbsolutePath().getParent());
    Path out = Path.of(logBase + ".out");
    Path err = Path.of(logBase + ".err");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "0");
    Process process = builder.start();
    if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor();
      throw new IOException(runtimeJars + ": the probe took more than " + TIMEOUT_MINUTES + " minutes");
    }
    return new Outcome(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private String classPath() throws IOException {
    List<String> entries = new ArrayList<>();
    try {
      entries.add(Path.of(RuntimeProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    } catch (java.net.URISyntaxException e) {
      throw new IOException("cannot locate the probe's classes", e);
    }
    if (!Files.isDirectory(runtimeJars)) {
      throw new IOException(runtimeJars + ": missing (run through the compat Maven profile, which downloads it)");
    }
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(runtimeJars, "*.jar")) {
      jars.forEach(j -> entries.add(j.toString()));
    }
    return String.join(File.pathSeparator, entries);
  }
}
