package io.mnisttf.runs;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSerializer;
import java.nio.file.Path;

/**
 * The JSON of run folder files: record components and fields in snake_case, pretty-printed, nulls kept
 * (an absent export is {@code null}, not a missing key), paths as strings, and NaN/Infinity written as such
 * (Python's json module reads them; a diverged loss is NaN).
 */
final class RunJson {
  static final Gson GSON = new GsonBuilder()
      .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
      .serializeSpecialFloatingPointValues()
      .serializeNulls()
      .disableHtmlEscaping()
      .setPrettyPrinting()
      .registerTypeHierarchyAdapter(Path.class,
          (JsonSerializer<Path>) (path, type, context) -> new JsonPrimitive(path.toString()))
      .create();

  private RunJson() {}

  static String toJson(Object value) {
    return GSON.toJson(value) + "\n";
  }
}
