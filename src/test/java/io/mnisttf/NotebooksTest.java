package io.mnisttf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Jupyter notebooks in {@code notebooks/} cannot run in CI (there is no Python TensorFlow), so this checks
 * what can be checked without running them: each is a valid nbformat 4.5 document (checked strictly: required
 * keys, types, no unknown keys, unique cell ids), is committed unexecuted, states the TensorFlow version it was
 * written for, and every code cell compiles as Python 3 (one {@code python3} process checks all cells).
 */
class NotebooksTest {
  private static final Path NOTEBOOKS = Path.of("notebooks");
  private static final String TENSORFLOW_VERSION = "TensorFlow 2.18";
  private static final Pattern CELL_ID = Pattern.compile("[a-zA-Z0-9-_]{1,64}");
  private static final Set<String> NOTEBOOK_KEYS = Set.of("metadata", "nbformat_minor", "nbformat", "cells");
  private static final Set<String> CODE_CELL_KEYS =
      Set.of("id", "cell_type", "metadata", "source", "outputs", "execution_count");
  private static final Set<String> TEXT_CELL_KEYS = Set.of("id", "cell_type", "metadata", "source", "attachments");

  /**
   * Reads a JSON array of {name, source} from stdin and prints a JSON array of {name, line, message}, one per
   * cell that does not compile. Warnings are errors (an invalid escape sequence fails), and the cell must also
   * parse with Python 3.9's grammar (best effort: ast's feature_version), the oldest Python the notebooks name.
   */
  private static final String COMPILE_SCRIPT = """
      import ast, json, sys, warnings
      warnings.simplefilter("error")
      errors = []
      for cell in json.loads(sys.stdin.buffer.read().decode("utf-8")):
          try:
              compile(cell["source"], cell["name"], "exec", dont_inherit=True)
              ast.parse(cell["source"], cell["name"], feature_version=(3, 9))
          except SyntaxError as e:
              errors.append({"name": cell["name"], "line": e.lineno or 0, "message": e.msg})
          except ValueError as e:
              errors.append({"name": cell["name"], "line": 0, "message": str(e)})
      sys.stdout.write(json.dumps(errors))
      """;

  /** A cell's source for compilation, {@code name} saying where it comes from. */
  record CellSource(String name, String source) {}

  /** A cell that does not compile: Python's message and the 1-based line in the cell (0 if unknown). */
  record CompileError(String name, int line, String message) {
    @Override
    public String toString() {
      return name + ", line " + line + ": " + message;
    }
  }

  @Test
  void thereAreAtLeastTwoNotebooks() throws IOException {
    List<Path> notebooks = notebooks();
    assertTrue(notebooks.size() >= 2, "at least 2 notebooks expected in " + NOTEBOOKS.toAbsolutePath()
        + ", found " + notebooks.size() + ": " + notebooks);
  }

  @Test
  void notebooksAreValidNbformat4() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Path notebook : notebooks()) {
      structureProblems(parseStrict(notebook)).forEach(p -> problems.add(notebook + ": " + p));
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void notebooksStateTheirTensorFlowVersion() throws IOException {
    List<String> silent = new ArrayList<>();
    for (Path notebook : notebooks()) {
      boolean states = false;
      for (JsonElement cell : parseStrict(notebook).getAsJsonArray("cells")) {
        JsonObject c = cell.getAsJsonObject();
        states |= "markdown".equals(c.get("cell_type").getAsString()) && source(c).contains(TENSORFLOW_VERSION);
      }
      if (!states) {
        silent.add(notebook.toString());
      }
    }
    assertTrue(silent.isEmpty(), "no markdown cell states \"" + TENSORFLOW_VERSION + "\" in " + silent);
  }

  @Test
  void codeCellsCompileAsPython3() throws IOException {
    List<CellSource> cells = new ArrayList<>();
    for (Path notebook : notebooks()) {
      JsonArray all = parseStrict(notebook).getAsJsonArray("cells");
      for (int i = 0; i < all.size(); i++) {
        JsonObject c = all.get(i).getAsJsonObject();
        if ("code".equals(c.get("cell_type").getAsString())) {
          cells.add(new CellSource(notebook + " cell " + i + " (id " + c.get("id").getAsString() + ")", source(c)));
        }
      }
    }
    assertTrue(cells.size() >= 2, "code cells expected in the notebooks, found " + cells.size());
    List<CompileError> errors = compile(cells);
    assertTrue(errors.isEmpty(), "code cells that do not compile as Python 3:\n"
        + errors.stream().map(CompileError::toString).collect(Collectors.joining("\n")));
  }

  @Test
  void compileCheckReportsBrokenCells() {
    List<CompileError> errors = compile(List.of(
        new CellSource("valid", "import sys\n\nfor a in sys.argv:\n    print(f\"{a!r}\")\n"),
        new CellSource("syntax-error", "x = 1\ndef f(:\n    pass\n"),
        new CellSource("shell-magic", "!pip install tensorflow\n"),
        new CellSource("line-magic", "%matplotlib inline\n"),
        new CellSource("bad-escape", "path = \"C:\\data\"\n"),
        new CellSource("match-statement", "match 1:\n    case 1:\n        pass\n")));

    Map<String, CompileError> byName = errors.stream()
        .collect(Collectors.toMap(CompileError::name, e -> e));
    assertEquals(Set.of("syntax-error", "shell-magic", "line-magic", "bad-escape", "match-statement"),
        byName.keySet(), errors.toString());
    CompileError syntax = byName.get("syntax-error");
    assertEquals(2, syntax.line(), syntax.toString());
    assertTrue(syntax.message().contains("invalid syntax"), syntax.toString());
    assertTrue(byName.get("bad-escape").message().contains("escape"), byName.get("bad-escape").toString());
  }

  @Test
  void structureCheckAcceptsAMinimalNotebook() {
    assertEquals(List.of(), structureProblems(minimalNotebook()));
  }

  static Stream<Arguments> invalidNotebooks() {
    return Stream.of(
        invalid("nbformat 3", nb -> nb.addProperty("nbformat", 3), "nbformat must be 4"),
        invalid("no nbformat_minor", nb -> nb.remove("nbformat_minor"), "missing key \"nbformat_minor\""),
        invalid("minor 4 has no cell ids", nb -> nb.addProperty("nbformat_minor", 4), "nbformat_minor"),
        invalid("unknown top-level key", nb -> nb.addProperty("worksheets", 1), "unknown key \"worksheets\""),
        invalid("no kernelspec", nb -> nb.getAsJsonObject("metadata").remove("kernelspec"), "kernelspec"),
        invalid("cells not an array", nb -> nb.add("cells", new JsonObject()), "cells must be an array"),
        invalid("duplicate cell id", nb -> cell(nb, 1).addProperty("id", "intro"), "duplicate cell id \"intro\""),
        invalid("bad id characters", nb -> cell(nb, 0).addProperty("id", "an id"), "id \"an id\""),
        invalid("id too long", nb -> cell(nb, 0).addProperty("id", "x".repeat(65)), "does not match"),
        invalid("unknown cell type", nb -> cell(nb, 0).addProperty("cell_type", "heading"), "cell_type"),
        invalid("no source", nb -> cell(nb, 1).remove("source"), "missing key \"source\""),
        invalid("source of numbers", nb -> cell(nb, 1).add("source", numbers()), "source must be"),
        invalid("executed code cell", nb -> cell(nb, 1).addProperty("execution_count", 3), "execution_count"),
        invalid("code cell with outputs", nb -> cell(nb, 1).getAsJsonArray("outputs").add(new JsonObject()),
            "outputs must be empty"),
        invalid("code cell without outputs", nb -> cell(nb, 1).remove("outputs"), "missing key \"outputs\""),
        invalid("outputs on a markdown cell", nb -> cell(nb, 0).add("outputs", new JsonArray()),
            "unknown key \"outputs\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidNotebooks")
  void structureCheckRejectsInvalidNotebooks(String description, Consumer<JsonObject> breakIt, String expected) {
    JsonObject notebook = minimalNotebook();
    breakIt.accept(notebook);
    List<String> problems = structureProblems(notebook);
    assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
        "a problem mentioning \"" + expected + "\" expected, found " + problems);
  }

  @Test
  void strictParserRejectsLenientJson() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> parseStrict("{'cells': []}", Path.of("lenient.ipynb")));
    assertTrue(e.getMessage().contains("lenient.ipynb"), e.getMessage());
  }

  // ---------------------------------------------------------------------------------------------------------

  private static List<Path> notebooks() throws IOException {
    if (!Files.isDirectory(NOTEBOOKS)) {
      throw new AssertionError(NOTEBOOKS.toAbsolutePath() + ": no such directory (the notebooks folder expected)");
    }
    try (Stream<Path> files = Files.list(NOTEBOOKS)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
    }
  }

  private static JsonObject parseStrict(Path notebook) throws IOException {
    return parseStrict(Files.readString(notebook, StandardCharsets.UTF_8), notebook);
  }

  /** Parses strict JSON (RFC 8259: no comments, single quotes or trailing data); errors name the file. */
  static JsonObject parseStrict(String json, Path file) {
    try (JsonReader reader = new JsonReader(new StringReader(json))) {
      reader.setStrictness(Strictness.STRICT);
      JsonElement root = JsonParser.parseReader(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new IllegalArgumentException(file + ": data after the JSON document");
      }
      if (!root.isJsonObject()) {
        throw new IllegalArgumentException(file + ": a JSON object expected at the top level");
      }
      return root.getAsJsonObject();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
    }
  }

  /**
   * The ways {@code nb} departs from nbformat 4.5 (the schema's required keys, types and closed key sets; cell
   * ids unique and matching {@code ^[a-zA-Z0-9-_]+$}, 1-64 characters), from a python3 kernelspec, or from being
   * unexecuted (code cells with {@code execution_count: null} and no outputs). Empty when it conforms.
   */
  static List<String> structureProblems(JsonObject nb) {
    List<String> problems = new ArrayList<>();
    checkKeys("notebook", nb, NOTEBOOK_KEYS, NOTEBOOK_KEYS, problems);
    if (nb.has("nbformat") && integer(nb.get("nbformat")) != 4) {
      problems.add("nbformat must be 4, found " + nb.get("nbformat"));
    }
    if (nb.has("nbformat_minor") && integer(nb.get("nbformat_minor")) < 5) {
      problems.add("nbformat_minor must be an integer >= 5 (cell ids), found " + nb.get("nbformat_minor"));
    }
    if (nb.has("metadata")) {
      checkMetadata(nb.get("metadata"), problems);
    }
    if (!nb.has("cells")) {
      return problems;
    }
    if (!nb.get("cells").isJsonArray()) {
      problems.add("cells must be an array, found " + kind(nb.get("cells")));
      return problems;
    }
    Set<String> ids = new HashSet<>();
    JsonArray cells = nb.getAsJsonArray("cells");
    for (int i = 0; i < cells.size(); i++) {
      String where = "cell " + i;
      if (!cells.get(i).isJsonObject()) {
        problems.add(where + " must be an object, found " + kind(cells.get(i)));
        continue;
      }
      checkCell(where, cells.get(i).getAsJsonObject(), ids, problems);
    }
    return problems;
  }

  private static void checkMetadata(JsonElement metadata, List<String> problems) {
    if (!metadata.isJsonObject()) {
      problems.add("metadata must be an object, found " + kind(metadata));
      return;
    }
    JsonElement kernelspec = metadata.getAsJsonObject().get("kernelspec");
    if (kernelspec == null || !kernelspec.isJsonObject()) {
      problems.add("metadata.kernelspec must be an object naming the python3 kernel, found " + kind(kernelspec));
    } else {
      JsonObject k = kernelspec.getAsJsonObject();
      if (!new JsonPrimitive("python3").equals(k.get("name"))) {
        problems.add("metadata.kernelspec.name must be \"python3\", found " + k.get("name"));
      }
      if (!isString(k.get("display_name"))) {
        problems.add("metadata.kernelspec.display_name must be a string, found " + kind(k.get("display_name")));
      }
    }
    JsonElement languageInfo = metadata.getAsJsonObject().get("language_info");
    if (languageInfo != null
        && !(languageInfo.isJsonObject() && isString(languageInfo.getAsJsonObject().get("name")))) {
      problems.add("metadata.language_info must be an object with a string name, found " + languageInfo);
    }
  }

  private static void checkCell(String where, JsonObject cell, Set<String> ids, List<String> problems) {
    JsonElement type = cell.get("cell_type");
    String cellType = isString(type) ? type.getAsString() : "";
    Set<String> allowed;
    switch (cellType) {
      case "code" -> allowed = CODE_CELL_KEYS;
      case "markdown", "raw" -> allowed = TEXT_CELL_KEYS;
      default -> {
        problems.add(where + ": cell_type must be \"code\", \"markdown\" or \"raw\", found " + type);
        return;
      }
    }
    Set<String> required = new HashSet<>(Set.of("id", "cell_type", "metadata", "source"));
    if (cellType.equals("code")) {
      required.addAll(Set.of("outputs", "execution_count"));
    }
    checkKeys(where, cell, required, allowed, problems);
    JsonElement id = cell.get("id");
    if (id != null) {
      if (!isString(id) || !CELL_ID.matcher(id.getAsString()).matches()) {
        problems.add(where + ": id " + id + " does not match ^[a-zA-Z0-9-_]+$ with 1 to 64 characters");
      } else if (!ids.add(id.getAsString())) {
        problems.add(where + ": duplicate cell id " + id);
      }
      where = where + " (id " + id + ")";
    }
    if (cell.has("metadata") && !cell.get("metadata").isJsonObject()) {
      problems.add(where + ": metadata must be an object, found " + kind(cell.get("metadata")));
    }
    if (cell.has("source") && !isMultilineString(cell.get("source"))) {
      problems.add(where + ": source must be a string or an array of strings, found " + kind(cell.get("source")));
    }
    if (cell.has("attachments") && !cell.get("attachments").isJsonObject()) {
      problems.add(where + ": attachments must be an object, found " + kind(cell.get("attachments")));
    }
    if (cell.has("execution_count") && !cell.get("execution_count").isJsonNull()) {
      problems.add(where + ": execution_count must be null (notebooks are committed unexecuted), found "
          + cell.get("execution_count"));
    }
    if (cell.has("outputs")) {
      JsonElement outputs = cell.get("outputs");
      if (!outputs.isJsonArray()) {
        problems.add(where + ": outputs must be an array, found " + kind(outputs));
      } else if (!outputs.getAsJsonArray().isEmpty()) {
        problems.add(where + ": outputs must be empty (notebooks are committed unexecuted), found "
            + outputs.getAsJsonArray().size());
      }
    }
  }

  private static void checkKeys(String where, JsonObject object, Set<String> required, Set<String> allowed,
      List<String> problems) {
    for (String key : required.stream().sorted().toList()) {
      if (!object.has(key)) {
        problems.add(where + ": missing key \"" + key + "\"");
      }
    }
    for (String key : object.keySet()) {
      if (!allowed.contains(key)) {
        problems.add(where + ": unknown key \"" + key + "\" (allowed: " + allowed.stream().sorted().toList() + ")");
      }
    }
  }

  /** The value of an integral JSON number, or -1 for anything else. */
  private static long integer(JsonElement e) {
    if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
      double d = e.getAsDouble();
      if (d == Math.rint(d) && !e.getAsString().contains(".")) {
        return (long) d;
      }
    }
    return -1;
  }

  private static boolean isString(JsonElement e) {
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
  }

  private static boolean isMultilineString(JsonElement e) {
    if (isString(e)) {
      return true;
    }
    if (e == null || !e.isJsonArray()) {
      return false;
    }
    for (JsonElement line : e.getAsJsonArray()) {
      if (!isString(line)) {
        return false;
      }
    }
    return true;
  }

  private static String kind(JsonElement e) {
    if (e == null) {
      return "nothing";
    }
    if (e.isJsonObject()) {
      return "an object";
    }
    if (e.isJsonArray()) {
      return "an array";
    }
    return e.toString();
  }

  /** A cell's source as one string (nbformat allows a string or an array of lines). */
  private static String source(JsonObject cell) {
    JsonElement source = cell.get("source");
    if (source.isJsonArray()) {
      StringBuilder text = new StringBuilder();
      source.getAsJsonArray().forEach(line -> text.append(line.getAsString()));
      return text.toString();
    }
    return source.getAsString();
  }

  /**
   * Compiles each cell with {@code python3} (all in one process) and returns the cells that do not compile.
   * Fails, rather than skips, when python3 is missing: CI has it.
   */
  static List<CompileError> compile(List<CellSource> cells) {
    Process process;
    try {
      process = new ProcessBuilder("python3", "-I", "-c", COMPILE_SCRIPT).start();
    } catch (IOException e) {
      throw new AssertionError("python3 is needed to compile the notebooks' code cells: " + e.getMessage(), e);
    }
    try {
      CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process, true));
      try (OutputStream stdin = process.getOutputStream()) {
        stdin.write(new Gson().toJson(cells).getBytes(StandardCharsets.UTF_8));
      }
      String stdout = readAll(process, false);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("python3 did not finish compiling " + cells.size() + " cells within 60 s");
      }
      if (process.exitValue() != 0) {
        throw new AssertionError("python3 exited with status " + process.exitValue() + ": " + stderr.join());
      }
      return new Gson().fromJson(stdout, new TypeToken<List<CompileError>>() {}.getType());
    } catch (IOException e) {
      throw new AssertionError("talking to python3 failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while python3 compiled the cells", e);
    } finally {
      process.destroyForcibly();
    }
  }

  private static String readAll(Process process, boolean stderr) {
    try {
      return new String((stderr ? process.getErrorStream() : process.getInputStream()).readAllBytes(),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------------------

  private static Arguments invalid(String description, Consumer<JsonObject> breakIt, String expected) {
    return Arguments.of(description, breakIt, expected);
  }

  private static JsonObject cell(JsonObject notebook, int index) {
    return notebook.getAsJsonArray("cells").get(index).getAsJsonObject();
  }

  private static JsonArray numbers() {
    JsonArray a = new JsonArray();
    a.add(1);
    a.add(2);
    return a;
  }

  /** A valid notebook: a markdown cell "intro" and an unexecuted code cell "setup". */
  private static JsonObject minimalNotebook() {
    JsonObject kernelspec = new JsonObject();
    kernelspec.addProperty("name", "python3");
    kernelspec.addProperty("display_name", "Python 3");
    kernelspec.addProperty("language", "python");
    JsonObject metadata = new JsonObject();
    metadata.add("kernelspec", kernelspec);

    JsonObject markdown = new JsonObject();
    markdown.addProperty("cell_type", "markdown");
    markdown.addProperty("id", "intro");
    markdown.add("metadata", new JsonObject());
    markdown.addProperty("source", "# Written for " + TENSORFLOW_VERSION);

    JsonObject code = new JsonObject();
    code.addProperty("cell_type", "code");
    code.addProperty("id", "setup");
    code.add("metadata", new JsonObject());
    JsonArray lines = new JsonArray();
    lines.add("import sys\n");
    lines.add("print(sys.version)");
    code.add("source", lines);
    code.add("outputs", new JsonArray());
    code.add("execution_count", JsonNull.INSTANCE);

    JsonArray cells = new JsonArray();
    cells.add(markdown);
    cells.add(code);
    JsonObject nb = new JsonObject();
    nb.add("cells", cells);
    nb.add("metadata", metadata);
    nb.addProperty("nbformat", 4);
    nb.addProperty("nbformat_minor", 5);
    return nb;
  }
}
