package io.mnisttf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.testing.ChildJava;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Use it from Java" program, exactly as printed: compiled against the project's classes and
 * dependencies, then run in a child JVM whose working folder has the bundled data as {@code data/mnist} (a link,
 * so the example's runs/ and saved-models/ go to a temporary folder, not into the repository).
 */
class ReadmeExampleTest {
  private static final Pattern JAVA_BLOCK = Pattern.compile("## Use it from Java\\n.*?```java\\n(.*?)```",
      Pattern.DOTALL);

  @TempDir Path tmp;

  static String example() throws IOException {
    Matcher m = JAVA_BLOCK.matcher(Files.readString(Path.of("README.md"), StandardCharsets.UTF_8));
    assertTrue(m.find(), "README.md has a java block in 'Use it from Java'");
    return m.group(1);
  }

  @Test
  void compilesAndRunsAsPrintedAndReachesTheTutorialsAccuracy() throws Exception {
    String source = example();
    Matcher name = Pattern.compile("public class (\\w+)").matcher(source);
    assertTrue(name.find(), source);
    Path src = Files.createDirectories(tmp.resolve("src")).resolve(name.group(1) + ".java");
    Files.writeString(src, source, StandardCharsets.UTF_8);
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    String classpath = System.getProperty("java.class.path");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    boolean compiled = javac.getTask(diagnostics, null, null,
        List.of("-classpath", classpath, "-d", classes.toString(), "-Xlint:all", "-Werror"), null,
        javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(src.toFile())).call();
    assertTrue(compiled, diagnostics.toString());

    Path work = Files.createDirectories(tmp.resolve("work"));
    Path link = Files.createSymbolicLink(Files.createDirectories(work.resolve("data")).resolve("mnist"),
        Path.of("data", "mnist").toAbsolutePath());
    try {
      runIn(work, classes, classpath, name.group(1));
    } finally {
      Files.delete(link); // the link only: JUnit's clean-up would warn about it
    }
  }

  private static void runIn(Path work, Path classes, String classpath, String mainClass) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(ChildJava.java(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classes + File.pathSeparator + classpath,
        mainClass).directory(work.toFile()).redirectErrorStream(true);
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);
    Matcher accuracy = Pattern.compile("(?m)^test accuracy (0\\.\\d{4})$").matcher(output);
    assertTrue(accuracy.find(), output);
    double value = Double.parseDouble(accuracy.group(1));
    assertTrue(value > 0.96 && value < 0.98, "about 0.97: " + output);
    assertTrue(output.contains("first test image: ClassScore[digit=7, "), output);
    assertTrue(output.contains("labelled 7"), output);
    assertTrue(Files.isRegularFile(work.resolve("saved-models/mnist/1/saved_model.pb")), output);
  }
}
