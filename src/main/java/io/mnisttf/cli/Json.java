package io.mnisttf.cli;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** The JSON form of results: snake_case keys, one line. */
final class Json {
  private static final Gson GSON = new GsonBuilder()
      .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
      .serializeSpecialFloatingPointValues()
      .disableHtmlEscaping()
      .create();

  private Json() {}

  static String line(Object result) {
    return GSON.toJson(result);
  }
}
