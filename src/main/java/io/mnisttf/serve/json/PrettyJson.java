package io.mnisttf.serve.json;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * Writes JSON laid out as TF Serving's responses are (rapidjson's {@code PrettyWriter}: four spaces per level,
 * every member and array element on its own line, except in arrays written while
 * {@link #singleLineArrays(boolean)} is on, whose elements follow each other on one line). So a row-format
 * answer reads
 *
 * <pre>
 * {
 *     "predictions": [[0.1, 0.9]
 *     ]
 * }
 * </pre>
 *
 * exactly as the model server prints it.
 */
public final class PrettyJson {
  private final StringBuilder out;
  private final Deque<int[]> levels = new ArrayDeque<>(); // {inArray ? 1 : 0, valueCount}
  private boolean singleLine;

  /** An empty writer. */
  public PrettyJson() {
    this(new StringBuilder(256));
  }

  PrettyJson(StringBuilder out) {
    this.out = out;
  }

  /** While on, arrays (started or continued) put their elements on one line, separated by ", ". */
  public PrettyJson singleLineArrays(boolean on) {
    this.singleLine = on;
    return this;
  }

  private void prefix() {
    int[] level = levels.peek();
    if (level == null) {
      return;
    }
    if (level[0] == 1) {
      if (level[1] > 0) {
        out.append(',');
        if (singleLine) {
          out.append(' ');
        }
      }
      if (!singleLine) {
        out.append('\n');
        indent();
      }
    } else {
      if (level[1] > 0) {
        out.append(level[1] % 2 == 0 ? ",\n" : ": ");
      } else {
        out.append('\n');
      }
      if (level[1] % 2 == 0) {
        indent();
      }
    }
    level[1]++;
  }

  private void indent() {
    out.append(" ".repeat(4 * levels.size()));
  }

  /** Opens an object (a value, an array element or the root). */
  public PrettyJson startObject() {
    prefix();
    out.append('{');
    levels.push(new int[] {0, 0});
    return this;
  }

  /** Closes the innermost object. */
  public PrettyJson endObject() {
    boolean empty = levels.pop()[1] == 0;
    if (!empty) {
      out.append('\n');
      indent();
    }
    out.append('}');
    return this;
  }

  /** Opens an array (a value, an array element or the root). */
  public PrettyJson startArray() {
    prefix();
    out.append('[');
    levels.push(new int[] {1, 0});
    return this;
  }

  /** Closes the innermost array. */
  public PrettyJson endArray() {
    boolean empty = levels.pop()[1] == 0;
    if (!empty && !singleLine) {
      out.append('\n');
      indent();
    }
    out.append(']');
    return this;
  }

  /** A member's name; its value comes next. */
  public PrettyJson key(String name) {
    return string(name);
  }

  /** A string value, escaped as JSON needs. */
  public PrettyJson string(String s) {
    prefix();
    quote(out, s);
    return this;
  }

  /** A number, {@code true}, {@code false} or {@code null} already written as JSON text. */
  public PrettyJson raw(String token) {
    prefix();
    out.append(token);
    return this;
  }

  /** An integer value. */
  public PrettyJson number(long v) {
    return raw(Long.toString(v));
  }

  /** {@code true} or {@code false}. */
  public PrettyJson bool(boolean v) {
    return raw(v ? "true" : "false");
  }

  /** Writes a parsed value back as rapidjson would (for the JSON values TF Serving quotes in messages). */
  PrettyJson value(JsonValue v) {
    if (v instanceof JsonValue.Obj o) {
      startObject();
      for (Map.Entry<String, JsonValue> m : o.members()) {
        key(m.getKey());
        value(m.getValue());
      }
      return endObject();
    }
    if (v instanceof JsonValue.Arr a) {
      startArray();
      for (JsonValue item : a.items()) {
        value(item);
      }
      return endArray();
    }
    if (v instanceof JsonValue.Str s) {
      return string(s.value());
    }
    if (v instanceof JsonValue.Bool b) {
      return bool(b.value());
    }
    if (v instanceof JsonValue.Num n) {
      if (n.isDouble()) {
        return raw(Decimals.rapidjson(n.asDouble()));
      }
      return raw(n.isInt64() ? Long.toString(n.bits()) : Long.toUnsignedString(n.bits()));
    }
    return raw("null");
  }

  /**
   * TF Serving's {@code JsonValueToString}: a value quoted in an error message, a leaf float in TF Serving's
   * decimal form ({@link Decimals}), anything else as rapidjson writes it.
   */
  public static String quoted(JsonValue v) {
    if (v instanceof JsonValue.Num n && n.isDouble()) {
      return n.isFloatRange() ? Decimals.ofFloat((float) n.asDouble()) : Decimals.ofDouble(n.asDouble());
    }
    return new PrettyJson().value(v).toString();
  }

  /** Appends {@code s} as a JSON string: quotes, backslashes and control characters escaped. */
  public static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04X", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
