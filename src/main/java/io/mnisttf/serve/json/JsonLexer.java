package io.mnisttf.serve.json;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The scalar tokens of rapidjson's grammar with {@code kParseNanAndInfFlag}, read from UTF-8 bytes: white space,
 * the literals, strings (escapes and surrogate pairs) and numbers (integers kept exact up to 64 bits,
 * {@code NaN} and the infinities), each failing with rapidjson's message and offset. {@link JsonParser} reads
 * the structure around them.
 */
final class JsonLexer {
  private final byte[] in;
  private int pos;

  JsonLexer(byte[] in) {
    this.in = in;
  }

  /** The current byte offset. */
  int position() {
    return pos;
  }

  /** Whether every byte has been read. */
  boolean atEnd() {
    return pos == in.length;
  }

  /** Steps over the current byte (a bracket, colon or comma the parser has looked at). */
  void advance() {
    pos++;
  }

  /** Skips JSON's white space (space, tab, CR, LF). */
  void skipSpace() {
    while (pos < in.length) {
      byte c = in[pos];
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        pos++;
      } else {
        return;
      }
    }
  }

  /** The byte at the current position (0-255), or -1 at the end. */
  int peek() {
    return pos < in.length ? in[pos] & 0xff : -1;
  }

  /** Consumes {@code word} exactly, else fails with rapidjson's {@code Invalid value.} where it began. */
  void literal(String word) throws JsonParser.ParseError {
    int start = pos;
    for (int i = 0; i < word.length(); i++) {
      if (peek() != word.charAt(i)) {
        throw new JsonParser.ParseError("Invalid value.", start);
      }
      pos++;
    }
  }
  /** A string token from its opening quote on: escapes resolved, surrogate pairs joined. */
  String string() throws JsonParser.ParseError {
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
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(in, start, pos - start);
    while (true) {
      if (pos >= in.length) {
        throw new JsonParser.ParseError("Missing a closing quotation mark in string.", pos);
      }
      int c = in[pos] & 0xff;
      if (c == '"') {
        pos++;
        return bytes.toString(StandardCharsets.UTF_8);
      }
      if (c < 0x20) {
        throw new JsonParser.ParseError(c == 0 ? "Missing a closing quotation mark in string." : "Invalid encoding in string.",
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
              throw new JsonParser.ParseError("The surrogate pair in string is invalid.", pos);
            }
            pos += 2;
            int low = hex4();
            if (low < 0xDC00 || low > 0xDFFF) {
              throw new JsonParser.ParseError("The surrogate pair in string is invalid.", pos);
            }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          byte[] utf8 = new String(Character.toChars(code)).getBytes(StandardCharsets.UTF_8);
          bytes.write(utf8, 0, utf8.length);
        }
        default -> throw new JsonParser.ParseError("Invalid escape character in string.", escapeAt);
      }
    }
  }

  private int hex4() throws JsonParser.ParseError {
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int c = peek();
      int d = Character.digit(c < 0 ? -1 : (char) c, 16);
      if (d < 0) {
        throw new JsonParser.ParseError("Incorrect hex digit after \\u escape in string.", pos);
      }
      v = v * 16 + d;
      pos++;
    }
    return v;
  }

  /**
   * A number token, or {@code NaN}, {@code Inf}, {@code Infinity} and their negatives: an integer when written
   * without fraction or exponent and it fits 64 bits, else a double.
   */
  JsonValue.Num number() throws JsonParser.ParseError {
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
      throw new JsonParser.ParseError("Invalid value.", start);
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
        throw new JsonParser.ParseError("Miss fraction part in number.", pos);
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
        throw new JsonParser.ParseError("Miss exponent in number.", pos);
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
      throw new JsonParser.ParseError("Number too big to be stored in double.", start);
    }
    return JsonValue.Num.ofDouble(d);
  }
}
