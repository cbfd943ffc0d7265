package io.mnisttf.cli;

import io.mnisttf.util.JsonFormat;

/** The JSON form of results: snake_case keys, one line ({@link JsonFormat#LINE}). */
final class Json {
  private Json() {}

  static String line(Object result) {
    return JsonFormat.LINE.toJson(result);
  }
}
