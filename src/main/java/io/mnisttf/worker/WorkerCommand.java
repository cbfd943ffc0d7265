package io.mnisttf.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** How a model worker is started: its command line, and the address-space limit put on it once it runs. */
final class WorkerCommand {
  private WorkerCommand() {}

  /**
   * {@code java <options> -cp <class path> io.mnisttf.worker.WorkerMain}. A JVM crash (a signal inside native
   * code) writes its report to standard error, where the parent reads the signal, and no file: no
   * {@code hs_err_pid*.log} and no core dump is left in the user's folder.
   */
  static List<String> java() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xmn32m",
        "-Xmx" + (WorkerLimits.HEAP_BYTES >> 20) + "m", "-XX:+ExitOnOutOfMemoryError",
        "-XX:+DisplayVMOutputToStderr", "-XX:+ErrorFileToStderr", "-XX:-CreateCoredumpOnCrash",
        "-Djava.awt.headless=true"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(WorkerProcess.MAIN_CLASS);
    return command;
  }

  /** util-linux's {@code prlimit}, or {@code null}. */
  private static Path prlimit() {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
      Path p = Path.of(dir, "prlimit");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /**
   * Limits {@code process}'s address space (soft and hard) to {@code bytes} with util-linux's
   * {@code prlimit --pid}; does nothing where there is no {@code prlimit} (the resident-memory watch alone
   * applies then).
   */
  static void limitAddressSpace(Process process, long bytes, long waitMillis) throws IOException, InterruptedException {
    Path prlimit = prlimit();
    if (prlimit == null) {
      return;
    }
    Process p = new ProcessBuilder(prlimit.toString(), "--pid", Long.toString(process.pid()),
        "--as=" + bytes + ":" + bytes).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    if (!p.waitFor(waitMillis, TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IOException("prlimit did not finish");
    }
    if (p.exitValue() != 0 && process.isAlive()) {
      throw new IOException("prlimit exited with code " + p.exitValue());
    }
  }
}
