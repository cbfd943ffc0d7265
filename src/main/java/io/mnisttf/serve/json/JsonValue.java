package io.mnisttf.serve.json;

import java.util.List;
import java.util.Map;

/**
 * A parsed JSON value, as TF Serving's parser (rapidjson) sees it: objects keep their members in order
 * (duplicates included; lookups find the first), and numbers keep whether they were written as integers and
 * which integer types hold them, since TF Serving accepts only whole numbers for integer tensors and refuses
 * lossy conversions to float.
 */
public sealed interface JsonValue {
  /** The type name TF Serving's messages use: {@code Null}, {@code False}, {@code True}, {@code Object}, ... */
  String typeName();

  /** An object: its members in order, duplicate names kept. */
  record Obj(List<Map.Entry<String, JsonValue>> members) implements JsonValue {
    public Obj {
      members = List.copyOf(members);
    }

    /** The first member named {@code name}, or {@code null}. */
    public JsonValue get(String name) {
      for (Map.Entry<String, JsonValue> m : members) {
        if (m.getKey().equals(name)) {
          return m.getValue();
        }
      }
      return null;
    }

    @Override
    public String typeName() {
      return "Object";
    }
  }

  /** An array: its items in order. */
  record Arr(List<JsonValue> items) implements JsonValue {
    public Arr {
      items = List.copyOf(items);
    }

    @Override
    public String typeName() {
      return "Array";
    }
  }

  /** A string, its escapes resolved. */
  record Str(String value) implements JsonValue {
    @Override
    public String typeName() {
      return "String";
    }
  }

  /** {@code true} or {@code false}. */
  record Bool(boolean value) implements JsonValue {
    @Override
    public String typeName() {
      return value ? "True" : "False";
    }
  }

  /** JSON's {@code null}. */
  enum Null implements JsonValue {
    NULL;

    @Override
    public String typeName() {
      return "Null";
    }
  }

  /**
   * A number. A token without fraction or exponent that fits 64 bits is an integer: {@code bits} holds it
   * (as an unsigned value when only {@link #isUint64} holds) and the flags say which of int32, uint32, int64 and
   * uint64 can hold it; any other number is a double. {@code NaN}, {@code Infinity} and {@code -Infinity} are
   * doubles.
   *
   * @param asDouble the value as a double (for an integer, the nearest double)
   * @param bits the integer's 64 bits, or 0 for a double
   * @param flags {@link #INT}, {@link #UINT}, {@link #INT64}, {@link #UINT64}, or {@link #DOUBLE}
   */
  record Num(double asDouble, long bits, int flags) implements JsonValue {
    static final int INT = 1;
    static final int UINT = 2;
    static final int INT64 = 4;
    static final int UINT64 = 8;
    static final int DOUBLE = 16;

    static Num ofDouble(double d) {
      return new Num(d, 0, DOUBLE);
    }

    /** An integer token's value: {@code negative} with magnitude {@code magnitude} (unsigned 64 bits). */
    static Num ofInteger(boolean negative, long magnitude) {
      if (negative) {
        long v = -magnitude;
        int flags = INT64 | (v >= Integer.MIN_VALUE ? INT : 0);
        if (magnitude == 0) {
          flags = INT | UINT | INT64 | UINT64;
        }
        return new Num(v, v, flags);
      }
      int flags = UINT64;
      if (magnitude >= 0) {
        flags |= INT64;
        if (magnitude <= 0xffffffffL) {
          flags |= UINT;
        }
        if (magnitude <= Integer.MAX_VALUE) {
          flags |= INT;
        }
        return new Num(magnitude, magnitude, flags);
      }
      double unsigned = (double) (magnitude >>> 1) * 2 + (magnitude & 1);
      return new Num(unsigned, magnitude, flags);
    }

    /** Written with a fraction or exponent, too large for 64 bits, or {@code NaN} or an infinity. */
    public boolean isDouble() {
      return (flags & DOUBLE) != 0;
    }

    /** An integer that int32 holds. */
    public boolean isInt() {
      return (flags & INT) != 0;
    }

    /** An integer that uint32 holds. */
    public boolean isUint() {
      return (flags & UINT) != 0;
    }

    /** An integer that int64 holds. */
    public boolean isInt64() {
      return (flags & INT64) != 0;
    }

    /** An integer that uint64 holds. */
    public boolean isUint64() {
      return (flags & UINT64) != 0;
    }

    /** rapidjson's {@code IsFloat()}: a double within float's range. */
    public boolean isFloatRange() {
      return isDouble() && asDouble >= -3.4028234e38 && asDouble <= 3.4028234e38;
    }

    @Override
    public String typeName() {
      return "Number";
    }
  }
}
