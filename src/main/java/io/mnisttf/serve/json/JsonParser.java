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
 * stack. The scalar tokens (literals, strings, numbers) are read by {@link JsonLexer}; this class reads the
 * structure: objects, arrays and the document root.
 */
public final class JsonParser {
  static final int MAX_DEPTH = 256;

  private final JsonLexer lex;
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

  private JsonParser(JsonLexer lex) {
    this.lex = lex;
  }

  /** Parses one JSON document (any value at the root) from UTF-8 bytes. */
  public static JsonValue parse(byte[] utf8) throws ParseError {
    JsonLexer lex = new JsonLexer(utf8);
    lex.skipSpace();
    if (lex.atEnd()) {
      throw new ParseError("The document is empty.", lex.position());
    }
    JsonValue root = new JsonParser(lex).value();
    lex.skipSpace();
    if (!lex.atEnd()) {
      throw new ParseError("The document root must not be followed by other values.", lex.position());
    }
    return root;
  }

  static JsonValue parse(String text) throws ParseError {
    return parse(text.getBytes(StandardCharsets.UTF_8));
  }

  private JsonValue value() throws ParseError {
    switch (lex.peek()) {
      case 'n':
        lex.literal("null");
        return JsonValue.Null.NULL;
      case 't':
        lex.literal("true");
        return new JsonValue.Bool(true);
      case 'f':
        lex.literal("false");
        return new JsonValue.Bool(false);
      case '"':
        return new JsonValue.Str(lex.string());
      case '{':
        return object();
      case '[':
        return array();
      default:
        return lex.number();
    }
  }

  private void enter() throws ParseError {
    if (++depth > MAX_DEPTH) {
      throw new ParseError("Nesting deeper than " + MAX_DEPTH + " levels.", lex.position());
    }
  }

  private JsonValue object() throws ParseError {
    enter();
    lex.advance(); // '{'
    lex.skipSpace();
    List<Map.Entry<String, JsonValue>> members = new ArrayList<>();
    if (lex.peek() == '}') {
      lex.advance();
      depth--;
      return new JsonValue.Obj(members);
    }
    while (true) {
      if (lex.peek() != '"') {
        throw new ParseError("Missing a name for object member.", lex.position());
      }
      String name = lex.string();
      lex.skipSpace();
      if (lex.peek() != ':') {
        throw new ParseError("Missing a colon after a name of object member.", lex.position());
      }
      lex.advance();
      lex.skipSpace();
      members.add(new AbstractMap.SimpleImmutableEntry<>(name, value()));
      lex.skipSpace();
      int c = lex.peek();
      if (c == ',') {
        lex.advance();
        lex.skipSpace();
      } else if (c == '}') {
        lex.advance();
        depth--;
        return new JsonValue.Obj(members);
      } else {
        throw new ParseError("Missing a comma or '}' after an object member.", lex.position());
      }
    }
  }

  private JsonValue array() throws ParseError {
    enter();
    lex.advance(); // '['
    lex.skipSpace();
    List<JsonValue> items = new ArrayList<>();
    if (lex.peek() == ']') {
      lex.advance();
      depth--;
      return new JsonValue.Arr(items);
    }
    while (true) {
      items.add(value());
      lex.skipSpace();
      int c = lex.peek();
      if (c == ',') {
        lex.advance();
        lex.skipSpace();
      } else if (c == ']') {
        lex.advance();
        depth--;
        return new JsonValue.Arr(items);
      } else {
        throw new ParseError("Missing a comma or ']' after an array element.", lex.position());
      }
    }
  }
}
