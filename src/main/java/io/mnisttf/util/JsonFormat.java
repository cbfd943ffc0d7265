package io.mnisttf.util;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonDeserializer;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSerializer;
import com.google.gson.Strictness;
import java.nio.file.Path;

/**
 * The one JSON set-up of the tool's files and results: record components in snake_case, NaN and infinities
 * written as such and read back (Python's json module reads them; a diverged loss is NaN), paths as strings, no
 * HTML escaping.
 */
public final class JsonFormat {
  /** One line, absent values left out: the {@code --json} results. */
  public static final Gson LINE = builder().create();
  /** Pretty-printed, absent values as {@code null}: run folder and checkpoint files. */
  public static final Gson FILE = builder().serializeNulls().setPrettyPrinting().create();

  private JsonFormat() {}

  /** The common settings, to add to. */
  public static GsonBuilder builder() {
    return new GsonBuilder()
        .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
        .serializeSpecialFloatingPointValues()
        .setStrictness(Strictness.LENIENT)
        .disableHtmlEscaping()
        .registerTypeHierarchyAdapter(Path.class,
            (JsonSerializer<Path>) (path, type, context) -> new JsonPrimitive(path.toString()))
        .registerTypeHierarchyAdapter(Path.class,
            (JsonDeserializer<Path>) (json, type, context) -> Path.of(json.getAsString()));
  }
}
