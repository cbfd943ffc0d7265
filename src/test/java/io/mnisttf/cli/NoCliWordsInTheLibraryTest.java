package io.mnisttf.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The library speaks its own words: no string literal outside {@code io.mnisttf.cli} names one of the command
 * line's options (a Java caller of the library has no {@code --worker-memory}); the command line maps the
 * library's error kinds to option hints.
 */
class NoCliWordsInTheLibraryTest {
  private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"");

  /** Every long option name of every command, as picocli knows them. */
  static Set<String> optionNames() {
    Set<String> names = new TreeSet<>();
    List<CommandLine> todo = new ArrayList<>(List.of(new CommandLine(Main.class)));
    while (!todo.isEmpty()) {
      CommandLine cli = todo.remove(todo.size() - 1);
      cli.getCommandSpec().options().forEach(o -> {
        for (String name : o.names()) {
          if (name.startsWith("--")) {
            names.add(name);
          }
        }
      });
      todo.addAll(cli.getSubcommands().values());
    }
    return names;
  }

  @Test
  void noLibraryStringNamesACommandLineOption() throws IOException {
    Set<String> options = optionNames();
    assertTrue(options.contains("--worker-memory") && options.contains("--allow-unsafe-ops"), options.toString());
    List<String> found = new ArrayList<>();
    Path library = Path.of("src", "main", "java", "io", "mnisttf");
    try (Stream<Path> files = Files.walk(library)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        if (file.startsWith(library.resolve("cli"))) { // the command line and its benchmark, which runs it
          continue;
        }
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = STRING.matcher(lines.get(i));
          while (m.find()) {
            for (String option : options) {
              if (Pattern.compile(Pattern.quote(option) + "(?![\\w-])").matcher(m.group()).find()) {
                found.add(file + ":" + (i + 1) + ": " + option + " in " + m.group());
              }
            }
          }
        }
      }
    }
    assertTrue(found.isEmpty(), String.join("\n", found));
  }
}
