package io.mnisttf.savedmodel.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.testing.ChildJava;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's command line: its JVM's own log never reaches the frame pipe, and its class-data-sharing archive
 * is the one beside a one-jar class path, written by one worker and mapped by the next.
 */
class WorkerCommandTest {
  @TempDir Path tmp;

  @Test
  void theArchiveIsBesideAOneJarClassPath() throws IOException {
    Path jar = tmp.resolve("mnist-tf-java.jar");
    Path archive = tmp.resolve("mnist-tf-java-worker.jsa");
    assertEquals(archive, WorkerCommand.archive(jar.toString()));
    assertNull(WorkerCommand.archive(tmp.resolve("classes").toString()), "a folder cannot be archived");
    assertNull(WorkerCommand.archive(jar + File.pathSeparator + tmp.resolve("other.jar")));
    assertNull(WorkerCommand.archive(""));

    assertEquals(List.of(), WorkerCommand.archiveOptions(jar.toString(), null), "no archive yet");
    Files.write(archive, new byte[] {1});
    assertEquals(List.of("-XX:SharedArchiveFile=" + archive), WorkerCommand.archiveOptions(jar.toString(), null));
    assertEquals(List.of("-XX:ArchiveClassesAtExit=" + tmp.resolve("new.jsa")),
        WorkerCommand.archiveOptions(jar.toString(), tmp.resolve("new.jsa").toString()));
    // Java 17 refuses to start when asked to dump with a folder on the class path: no dump then
    assertEquals(List.of(), WorkerCommand.archiveOptions(tmp.toString(), tmp.resolve("new.jsa").toString()));
  }

  @Test
  void theClassPathIsMadeAbsolute() {
    List<String> command = WorkerCommand.java("relative.jar" + File.pathSeparator + "lib/x.jar", null);
    String classPath = command.get(command.indexOf("-cp") + 1);
    assertEquals(Path.of("relative.jar").toAbsolutePath() + File.pathSeparator + Path.of("lib/x.jar").toAbsolutePath(),
        classPath);
  }

  /** Unified logging writes to standard output by default: a user's -Xlog in JAVA_TOOL_OPTIONS would break the pipe. */
  @Test
  void theJvmLogNeverGoesIntoTheFrames() throws Exception {
    String classPath = System.getProperty("java.class.path");
    Run plain = run(List.of(ChildJava.java(), "-cp", classPath, WorkerProcess.MAIN_CLASS), "-Xlog:class+load=info");
    assertTrue(new String(plain.stdout(), StandardCharsets.UTF_8).startsWith("[0."),
        "without the worker's options, the log comes first on standard output");

    Run worker = run(WorkerCommand.java(classPath, null), "-Xlog:class+load=info");
    assertEquals(0, worker.exitCode(), worker.stderr());
    assertEquals(Frame.Type.HELLO, worker.firstFrame().type(), "the first bytes on standard output are a frame");
    assertEquals(Frame.json(Frame.Type.HELLO, "{}").payload().length + 10, worker.stdout().length, "and the only ones");
  }

  @Test
  void oneWorkerWritesTheArchiveAndTheNextMapsIt() throws Exception {
    Path jar = jarOf(tmp.resolve("app.jar"), MisbehavingWorker.class, Frame.class, Frame.Type.class,
        Frame.ProtocolException.class);
    Path archive = WorkerCommand.archive(jar.toString());

    Run dump = run(WorkerCommand.java(jar.toString(), archive.toString()), null);
    assertEquals(0, dump.exitCode(), dump.stderr());
    assertTrue(Files.size(archive) > 0, "archive written at exit: " + dump.stderr());

    List<String> command = new ArrayList<>(WorkerCommand.java(jar.toString(), null));
    command.add(command.indexOf("-cp"), "-Xlog:class+load=info:stderr");
    Run mapped = run(command, null);
    assertEquals(0, mapped.exitCode(), mapped.stderr());
    assertEquals(Frame.Type.HELLO, mapped.firstFrame().type());
    assertTrue(mapped.stderr().contains(MisbehavingWorker.class.getName() + " source: shared objects file"),
        "the worker's classes come from the archive:\n" + mapped.stderr());
  }

  private record Run(int exitCode, byte[] stdout, String stderr) {
    Frame firstFrame() throws IOException {
      return Frame.read(new DataInputStream(new ByteArrayInputStream(stdout)));
    }
  }

  /** Runs {@code command} with {@link MisbehavingWorker}'s {@code hello} mode as the worker's main. */
  private Run run(List<String> command, String javaToolOptions) throws Exception {
    List<String> c = new ArrayList<>(command);
    c.set(c.size() - 1, MisbehavingWorker.class.getName());
    c.add("hello");
    ProcessBuilder builder = new ProcessBuilder(c).redirectError(tmp.resolve("stderr.txt").toFile());
    if (javaToolOptions != null) {
      builder.environment().put("JAVA_TOOL_OPTIONS", javaToolOptions);
    }
    Process p = builder.start();
    p.getOutputStream().close();
    byte[] stdout = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "worker ended");
    return new Run(p.exitValue(), stdout, Files.readString(tmp.resolve("stderr.txt"), StandardCharsets.UTF_8));
  }

  /** A jar of these compiled classes, as this test run loaded them. */
  private static Path jarOf(Path jar, Class<?>... classes) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (Class<?> c : classes) {
        String name = c.getName().replace('.', '/') + ".class";
        out.putNextEntry(new JarEntry(name));
        try (var in = c.getClassLoader().getResourceAsStream(name)) {
          in.transferTo(out);
        }
        out.closeEntry();
      }
    }
    return jar;
  }

}
