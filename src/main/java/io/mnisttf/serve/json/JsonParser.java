package io.mnisttf.serve.json;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses a request body as TF Serving does (rapidjson with {@code kParseNanAndInfFlag}): strict JSON plus the
 * tokens {@code NaN}, {@code Inf}, {@code Infinity} and their negatives, and errors worded as rapidjson's
 * ({@code Invalid value.}, {@code Missing a comma or ']' after an array element.}, ...) with the byte offset.
 * Unlike rapidjson, nesting is limited ({@value #MAX_DEPTH} levels), so that a hostile body cannot exhaust the
 * stack.
 */
public final class JsonParser {
  static final int MAX_DEPTH = 256;

  private final byte[] in;
  private int pos;
  private int depth;

  /** A body that is not JSON: rapidjson's message and the offset where parsing stopped. */
  public static final class ParseError extends Exception {
    private static final long serialVersionUID = 1L;
    private final int offset;

    ParseError(String message, int offset) {
      super(message);
      this.offset = offset;
    }

    /** The byte offset in the body where parsing stopped. */
    public int offset() {
      return offset;
    }
  }

  private JsonParser(byte[] in) {
    this.in = in;
  }

  /** Parses one JSON document (any value at the root) from UTF-8 bytes. */
  public static JsonValue parse(byte[] utf8) throws ParseError {
    JsonParser p = new JsonParser(utf8);
    p.skipSpace();
    if (p.pos == p.in.length) {
      throw new ParseError("The document is empty.", p.pos);
    }
    JsonValue root = p.value();
    p.skipSpace();
    if (p.pos != p.in.length) {
      throw new ParseError("The document root must not be followed by other values.", p.pos);
    }
    return root;
  }

  static JsonValue parse(String text) throws ParseError {
    return parse(text.getBytes(StandardCharsets.UTF_8));
  }

  private void skipSpace() {
    while (pos < in.length) {
      byte c = in[pos];
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        pos++;
      } else {
        return;
      }
    }
  }

  private int peek() {
    return pos < in.length ? in[pos] & 0xff : -1;
  }

  private JsonValue value() throws ParseError {
    switch (peek()) {
      case 'n':
        literal("null");
        return JsonValue.Null.NULL;
      case 't':
        literal("true");
        return new JsonValue.Bool(true);
      case 'f':
        literal("false");
        return new JsonValue.Bool(false);
      case '"':
        return new JsonValue.Str(string());
      case '{':
        return object();
      case '[':
        return array();
      default:
        return number();
    }
  }

  private void literal(String word) throws ParseError {
    int start = pos;
    for (int i = 0; i < word.length(); i++) {
      if (peek() != word.charAt(i)) {
        throw new ParseError("Invalid value.", start);
      }
      pos++;
    }
  }

  private void enter() throws ParseError {
    if (++depth > MAX_DEPTH) {
      throw new ParseError("Nesting deeper than " + MAX_DEPTH + " levels.", pos);
    }
  }

  private JsonValue object() throws ParseError {
    enter();
    pos++; // '{'
    skipSpace();
    List<Map.Entry<String, JsonValue>> members = new ArrayList<>();
    if (peek() == '}') {
      pos++;
      depth--;
      return new JsonValue.Obj(members);
    }
    while (true) {
      if (peek() != '"') {
        throw new ParseError("Missing a name for object member.", pos);
      }
      String name = string();
      skipSpace();
      if (peek() != ':') {
        throw new ParseError("Missing a colon after a name of object member.", pos);
      }
      pos++;
      skipSpace();
      members.add(new AbstractMap.SimpleImmutableEntry<>(name, value()));
      skipSpace();
      int c = peek();
      if (c == ',') {
        pos++;
        skipSpace();
      } else if (c == '}') {
        pos++;
        depth--;
        return new JsonValue.Obj(members);
      } else {
        throw new ParseError("Missing a comma or '}' after an object member.", pos);
      }
    }
  }

  private JsonValue array() throws ParseError {
    enter();
    pos++; // '['
    skipSpace();
    List<JsonValue> items = new ArrayList<>();
    if (peek() == ']') {
      pos++;
      depth--;
      return new JsonValue.Arr(items);
    }
    while (true) {
      items.add(value());
      skipSpace();
      int c = peek();
      if (c == ',') {
        pos++;
        skipSpace();
      } else if (c == ']') {
        pos++;
        depth--;
        return new JsonValue.Arr(items);
      } else {
        throw new ParseError("Missing a comma or ']' after an array element.", pos);
      }
    }
  }

  private String string() throws ParseError {
    pos++; // opening quote
    int start = pos;
    // Fast path: no escapes.
    while (pos < in.length) {
      int c = in[pos] & 0xff;
      if (c == '"') {
        String s = new String(in, start, pos - start, StandardCharsets.UTF_8);
        pos++;
        return s;
      }
      if (c == '\\' || c < 0x20) {
        break;
      }
      pos++;
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    bytes.write(in, start, pos - start);
    while (true) {
      if (pos >= in.length) {
        throw new ParseError("Missing a closing quotation mark in string.", pos);
      }
      int c = in[pos] & 0xff;
      if (c == '"') {
        pos++;
        return bytes.toString(StandardCharsets.UTF_8);
      }
      if (c < 0x20) {
        throw new ParseError(c == 0 ? "Missing a closing quotation mark in string." : "Invalid encoding in string.",
            pos);
      }
      if (c != '\\') {
        bytes.write(c);
        pos++;
        continue;
      }
      int escapeAt = pos;
      pos++;
      int e = peek();
      pos++;
      switch (e) {
        case '"' -> bytes.write('"');
        case '\\' -> bytes.write('\\');
        case '/' -> bytes.write('/');
        case 'b' -> bytes.write('\b');
        case 'f' -> bytes.write('\f');
        case 'n' -> bytes.write('\n');
        case 'r' -> bytes.write('\r');
        case 't' -> bytes.write('\t');
        case 'u' -> {
          int code = hex4();
          if (code >= 0xD800 && code <= 0xDBFF) {
            if (peek() != '\\' || pos + 1 >= in.length || in[pos + 1] != 'u') {
              throw new ParseError("The surrogate pair in string is invalid.", pos);
            }
            pos += 2;
            int low = hex4();
            if (low < 0xDC00 || low > 0xDFFF) {
              throw new ParseError("The surrogate pair in string is invalid.", pos);
            }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          byte[] utf8 = new String(Character.toChars(code)).getBytes(StandardCharsets.UTF_8);
          bytes.write(utf8, 0, utf8.length);
        }
        default -> throw new ParseError("Invalid escape character in string.", escapeAt);
      }
    }
  }

  private int hex4() throws ParseError {
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int c = peek();
      int d = Character.digit(c < 0 ? -1 : (char) c, 16);
      if (d < 0) {
        throw new ParseError("Incorrect hex digit after \\u escape in string.", pos);
      }
      v = v * 16 + d;
      pos++;
    }
    return v;
  }

  private JsonValue number() throws ParseError {
    int start = pos;
    boolean negative = false;
    if (peek() == '-') {
      negative = true;
      pos++;
    }
    int c = peek();
    if (c == 'N') {
      literal("NaN");
      return JsonValue.Num.ofDouble(Double.NaN);
    }
    if (c == 'I') {
      literal("Inf");
      if (peek() == 'i') {
        literal("inity");
      }
      return JsonValue.Num.ofDouble(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
    }
    if (c < '0' || c > '9') {
      throw new ParseError("Invalid value.", start);
    }
    int digitsStart = pos;
    if (c == '0') {
      pos++;
    } else {
      while (peek() >= '0' && peek() <= '9') {
        pos++;
      }
    }
    boolean integer = true;
    if (peek() == '.') {
      integer = false;
      pos++;
      if (peek() < '0' || peek() > '9') {
        throw new ParseError("Miss fraction part in number.", pos);
      }
      while (peek() >= '0' && peek() <= '9') {
        pos++;
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      integer = false;
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (peek() < '0' || peek() > '9') {
        throw new ParseError("Miss exponent in number.", pos);
      }
      while (peek() >= '0' && peek() <= '9') {
        pos++;
      }
    }
    if (integer) {
      long magnitude = 0;
      boolean fits = true;
      for (int i = digitsStart; i < pos && fits; i++) {
        int d = in[i] - '0';
        // unsigned overflow check: magnitude * 10 + d <= 2^64 - 1
        if (Long.compareUnsigned(magnitude, Long.divideUnsigned(-1L - d, 10)) > 0) {
          fits = false;
        } else {
          magnitude = magnitude * 10 + d;
        }
      }
      if (fits && (!negative || Long.compareUnsigned(magnitude, Long.MIN_VALUE) <= 0)) {
        return JsonValue.Num.ofInteger(negative, magnitude);
      }
    }
    double d = Double.parseDouble(new String(in, start, pos - start, StandardCharsets.US_ASCII));
    if (Double.isInfinite(d)) {
      throw new ParseError("Number too big to be stored in double.", start);
    }
    return JsonValue.Num.ofDouble(d);
  }
}
