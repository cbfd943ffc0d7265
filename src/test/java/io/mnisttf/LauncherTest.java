package io.mnisttf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mnisttf.testing.ChildJava;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher that {@code mvn package} writes ({@code src/main/launcher/mnist-tf-java.sh}, with the pom's JVM
 * options filled in) maps the class-data-sharing archive beside its jar when there is one, and runs silently
 * without it when the archive is missing, stale or not an archive at all. Run on a jar of one probe class.
 */
class LauncherTest {
  @TempDir Path tmp;
  private Path launcher;
  private Path jar;
  private Path archive;
  private String jvmArgs;

  @BeforeEach
  void writeLauncherAndJar() throws IOException {
    assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "skipped: no /bin/sh for the launcher script");
    Matcher m = Pattern.compile("<jvm\\.args>([^<]+)</jvm\\.args>")
        .matcher(Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8));
    assertTrue(m.find(), "the pom's jvm.args");
    jvmArgs = m.group(1).trim();
    String script = Files.readString(Path.of("src/main/launcher/mnist-tf-java.sh"), StandardCharsets.UTF_8);
    assertTrue(script.contains("@JVM_ARGS@"));
    launcher = tmp.resolve("mnist-tf-java");
    Files.writeString(launcher, script.replace("@JVM_ARGS@", jvmArgs), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    jar = writeJar(tmp.resolve("mnist-tf-java.jar"));
    archive = tmp.resolve("mnist-tf-java.jsa");
  }

  @Test
  void withoutAnArchiveTheJarRunsPlain() throws Exception {
    Run run = launch("");
    assertEquals(0, run.exitCode(), run.stderr());
    assertSilent(run);
    assertFalse(run.stdout().contains("SharedArchiveFile"), run.stdout());
  }

  @Test
  void theArchiveBesideTheJarIsMapped() throws Exception {
    dumpArchive();
    Run quiet = launch("");
    assertEquals(0, quiet.exitCode(), quiet.stderr());
    assertSilent(quiet);
    assertTrue(quiet.stdout().contains("-XX:SharedArchiveFile=" + archive), quiet.stdout());

    Run logged = launch("-Xlog:class+load=info:stderr");
    assertEquals(0, logged.exitCode(), logged.stderr());
    assertTrue(logged.stderr().contains(Probe.class.getName() + " source: shared objects file (top)"),
        "the probe's class comes from the archive:\n" + logged.stderr());
  }

  /** Mapping the archive costs a JVM's start more than the commands whose model runs in a worker gain. */
  @Test
  void onlyTrainMapsTheArchive() throws Exception {
    dumpArchive();
    for (List<String> args : List.<List<String>>of(List.of(), List.of("train", "--quiet"), List.of("--epochs", "1"))) {
      Run run = launch("", args);
      assertSilent(run);
      assertTrue(run.stdout().contains("-XX:SharedArchiveFile=" + archive), args + ":\n" + run.stdout());
    }
    for (List<String> args : List.of(List.of("evaluate", "--model", "m"), List.of("predict"), List.of("inspect"))) {
      Run run = launch("", args);
      assertSilent(run);
      assertFalse(run.stdout().contains("SharedArchiveFile"), args + ":\n" + run.stdout());
    }
  }

  @Test
  void aStaleArchiveIsIgnoredSilently() throws Exception {
    dumpArchive();
    // the jar rebuilt after the archive was made: the JVM sees another modification time and ignores the archive
    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 10_000));
    Run quiet = launch("");
    assertEquals(0, quiet.exitCode(), quiet.stderr());
    assertSilent(quiet);

    Run logged = launch("-Xlog:class+load=info:stderr");
    assertTrue(logged.stderr().contains(Probe.class.getName() + " source: file:"),
        "the probe's class comes from the jar:\n" + logged.stderr());
  }

  @Test
  void aFileThatIsNoArchiveIsIgnoredSilently() throws Exception {
    Files.write(archive, new byte[] {1, 2, 3});
    Run run = launch("");
    assertEquals(0, run.exitCode(), run.stderr());
    assertSilent(run);
  }

  /** Prints its JVM options, one a line, and a last line saying it ran. */
  public static final class Probe {
    public static void main(String[] args) {
      ManagementFactory.getRuntimeMXBean().getInputArguments().forEach(System.out::println);
      System.out.println("probe ran");
    }
  }

  /**
   * Nothing but the probe's own lines: no JVM warning on standard error, nor on standard output, where unified
   * logging writes by default (it would break a {@code --json} reader).
   */
  private static void assertSilent(Run run) {
    assertEquals("", run.stderr());
    List<String> lines = run.stdout().lines().toList();
    assertEquals("probe ran", lines.get(lines.size() - 1), run.stdout());
    for (String line : lines.subList(0, lines.size() - 1)) {
      assertTrue(line.startsWith("-"), "only JVM options before the probe's line:\n" + run.stdout());
    }
  }

  private record Run(int exitCode, String stdout, String stderr) {}

  /** As {@code mvn package} does: one run of the jar with the launcher's JVM options dumps the archive. */
  private void dumpArchive() throws Exception {
    List<String> command = new ArrayList<>(List.of(ChildJava.java()));
    command.addAll(List.of(jvmArgs.split(" +")));
    command.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off", "-jar", jar.toString()));
    Run dump = run(command, Map.of());
    assertEquals(0, dump.exitCode(), dump.stderr());
    assertTrue(Files.size(archive) > 0, "archive written: " + dump.stderr());
  }

  private Run launch(String options) throws Exception {
    return launch(options, List.of("train"));
  }

  private Run launch(String options, List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(args);
    return run(command,
        Map.of("JAVA_HOME", System.getProperty("java.home"), "MNIST_TF_JAVA_OPTS", options));
  }

  private Run run(List<String> command, Map<String, String> environment) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(tmp.resolve("stdout.txt").toFile()).redirectError(tmp.resolve("stderr.txt").toFile());
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().remove("JDK_JAVA_OPTIONS");
    builder.environment().putAll(environment);
    Process p = builder.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM ended");
    return new Run(p.exitValue(), Files.readString(tmp.resolve("stdout.txt"), StandardCharsets.UTF_8),
        Files.readString(tmp.resolve("stderr.txt"), StandardCharsets.UTF_8));
  }

  private static Path writeJar(Path jar) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Probe.class.getName());
    String name = Probe.class.getName().replace('.', '/') + ".class";
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      out.putNextEntry(new JarEntry(name));
      try (var in = Probe.class.getClassLoader().getResourceAsStream(name)) {
        in.transferTo(out);
      }
      out.closeEntry();
    }
    return jar;
  }
}
