package io.mnisttf.runs;

import com.google.gson.Gson;
import io.mnisttf.util.JsonFormat;

/**
 * The JSON of run folder files: record components and fields in snake_case, pretty-printed, nulls kept
 * (an absent export is {@code null}, not a missing key), paths as strings, and NaN/Infinity written as such
 * (Python's json module reads them; a diverged loss is NaN).
 */
final class RunJson {
  static final Gson GSON = JsonFormat.FILE;

  private RunJson() {}

  static String toJson(Object value) {
    return GSON.toJson(value) + "\n";
  }
}
