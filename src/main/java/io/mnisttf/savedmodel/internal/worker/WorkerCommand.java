package io.mnisttf.savedmodel.internal.worker;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.mnisttf.savedmodel.WorkerLimits;

/**
 * How a model worker is started: its command line (with the worker's class-data-sharing archive when there is
 * one), and the address-space limit put on it once it runs.
 */
public final class WorkerCommand {
  /**
   * System property naming a file: the next workers dump the classes they loaded into that class-data-sharing
   * archive when they exit ({@code -XX:ArchiveClassesAtExit}). {@code mvn package} runs one {@code evaluate} so
   * to write {@link #archive}.
   */
  public static final String DUMP_ARCHIVE_PROPERTY = "mnisttf.worker.dumpArchive";

  private WorkerCommand() {}

  /**
   * {@code java <options> -cp <class path> io.mnisttf.savedmodel.internal.worker.WorkerMain}, with this JVM's class path made
   * absolute. A JVM crash (a signal inside native code) writes its report to standard error, where the parent
   * reads the signal, and no file: no {@code hs_err_pid*.log} and no core dump is left in the user's folder.
   * Standard output carries frames only: the JVM's warnings go to standard error, and any other unified logging
   * (which writes to standard output by default, e.g. an {@code -Xlog} in {@code JAVA_TOOL_OPTIONS}) is off.
   */
  public static List<String> java() {
    return java(System.getProperty("java.class.path"), dumpArchive());
  }

  /** The archive the next workers are to dump ({@link #DUMP_ARCHIVE_PROPERTY}), or {@code null}. */
  public static String dumpArchive() {
    return System.getProperty(DUMP_ARCHIVE_PROPERTY);
  }

  /** {@link #java()} for a given class path and archive to dump ({@code null}: none). */
  public static List<String> java(String classPath, String dumpArchive) {
    classPath = absolute(classPath);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xmn32m",
        "-Xmx" + (WorkerLimits.HEAP_BYTES >> 20) + "m", "-XX:+ExitOnOutOfMemoryError",
        "-XX:+DisplayVMOutputToStderr", "-XX:+ErrorFileToStderr", "-XX:-CreateCoredumpOnCrash",
        "-Xlog:disable", "-Xlog:all=warning:stderr", "-Djava.awt.headless=true"));
    command.addAll(archiveOptions(classPath, dumpArchive));
    command.add("-cp");
    command.add(classPath);
    command.add(WorkerProcess.MAIN_CLASS);
    return command;
  }

  /**
   * The class-data-sharing options for a worker on {@code classPath}: with {@code dump} (a file name), dump its
   * classes there at exit; else use {@link #archive} when it exists. None for a class path that CDS cannot
   * archive (one with folders in it) or that has no archive: the worker then only starts slower.
   */
  public static List<String> archiveOptions(String classPath, String dump) {
    Path archive = archive(classPath);
    if (archive == null) {
      return List.of();
    }
    if (dump != null) {
      return List.of("-XX:ArchiveClassesAtExit=" + dump);
    }
    return Files.isRegularFile(archive) ? List.of("-XX:SharedArchiveFile=" + archive) : List.of();
  }

  /**
   * The worker's class-data-sharing archive for a class path of one jar, beside it
   * ({@code target/mnist-tf-java.jar} -> {@code target/mnist-tf-java-worker.jsa}, which {@code mvn package}
   * writes), else {@code null}. With it, the classes of TensorFlow Java, protobuf and this tool are mapped
   * instead of loaded and verified: the worker is ready about 0.15 s sooner. The JVM checks that the archive
   * was made by the same JVM from the same jars, and ignores it otherwise (saying so on standard error).
   */
  public static Path archive(String classPath) {
    if (classPath.isEmpty() || classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
      return null;
    }
    Path jar = Path.of(classPath);
    String name = jar.getFileName().toString();
    return jar.resolveSibling(name.substring(0, name.length() - ".jar".length()) + "-worker.jsa");
  }

  private static String absolute(String classPath) {
    List<String> entries = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator, -1)) {
      entries.add(entry.isEmpty() ? entry : Path.of(entry).toAbsolutePath().toString());
    }
    return String.join(File.pathSeparator, entries);
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
  public static void limitAddressSpace(Process process, long bytes, long waitMillis) throws IOException, InterruptedException {
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
