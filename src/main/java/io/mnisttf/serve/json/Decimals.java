package io.mnisttf.serve.json;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Floating-point numbers written as TF Serving writes them ({@code json_tensor.cc}'s {@code WriteDecimal}):
 * six significant digits (C's {@code %g}) when that reads back as the same value, else the type's round-trip
 * precision ({@code %.9g} for float32, {@code %.17g} for float64); a whole number without exponent gets a
 * trailing {@code .0}; {@code NaN}, {@code Infinity} and {@code -Infinity} are written as such, unquoted.
 * So float32 {@code 0.2f} is written {@code 0.2}, not {@code 0.200000003}, and {@code 3} is {@code 3.0}.
 */
public final class Decimals {
  private Decimals() {}

  /** A float32 value as TF Serving writes it. */
  public static String ofFloat(float v) {
    if (Float.isNaN(v)) {
      return "NaN";
    }
    if (Float.isInfinite(v)) {
      return v > 0 ? "Infinity" : "-Infinity";
    }
    String s = g(v, 6);
    if (Float.parseFloat(s) != v) {
      s = g(v, 9);
    }
    return withPoint(s);
  }

  /** A float64 value as TF Serving writes it. */
  public static String ofDouble(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "Infinity" : "-Infinity";
    }
    String s = g(v, 6);
    if (Double.parseDouble(s) != v) {
      s = g(v, 17);
    }
    return withPoint(s);
  }

  private static String withPoint(String s) {
    return s.indexOf('.') < 0 && s.indexOf('e') < 0 ? s + ".0" : s;
  }

  /**
   * C's {@code printf("%.<precision>g", v)} for a finite {@code v}: the exact binary value rounded to
   * {@code precision} significant digits, in fixed notation when its decimal exponent is in
   * {@code [-4, precision)}, else as {@code d.ddde+XX}; trailing zeros (and a trailing point) removed.
   */
  static String g(double v, int precision) {
    if (v == 0) {
      return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
    }
    BigDecimal exact = new BigDecimal(v);
    BigDecimal r = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
    int exponent = r.precision() - r.scale() - 1;
    if (exponent >= -4 && exponent < precision) {
      String fixed = r.setScale(Math.max(0, precision - 1 - exponent), RoundingMode.HALF_EVEN).toPlainString();
      return stripZeros(fixed);
    }
    String digits = r.unscaledValue().abs().toString();
    StringBuilder mantissa = new StringBuilder();
    if (r.signum() < 0) {
      mantissa.append('-');
    }
    mantissa.append(digits.charAt(0));
    if (digits.length() > 1) {
      mantissa.append('.').append(digits, 1, digits.length());
    }
    String m = stripZeros(mantissa.toString());
    int abs = Math.abs(exponent);
    return m + "e" + (exponent < 0 ? "-" : "+") + (abs < 10 ? "0" : "") + abs;
  }

  private static String stripZeros(String s) {
    if (s.indexOf('.') < 0) {
      return s;
    }
    int end = s.length();
    while (s.charAt(end - 1) == '0') {
      end--;
    }
    if (s.charAt(end - 1) == '.') {
      end--;
    }
    return s.substring(0, end);
  }

  /**
   * A double as rapidjson's writer prints one (only in the JSON values TF Serving quotes in its error
   * messages): the shortest digits that read back, {@code 1.0} for whole numbers, {@code 1e30} beyond 21 digits.
   */
  static String rapidjson(double v) {
    if (v == 0) {
      return (Double.doubleToRawLongBits(v) < 0) ? "-0.0" : "0.0";
    }
    if (!Double.isFinite(v)) {
      return Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
    }
    BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int k = -shortest.scale(); // value = digits * 10^k
    int kk = digits.length() + k; // 10^(kk-1) <= value < 10^kk
    String sign = v < 0 ? "-" : "";
    if (k >= 0 && kk <= 21) {
      return sign + digits + "0".repeat(k) + ".0";
    }
    if (kk > 0 && kk <= 21) {
      return sign + digits.substring(0, kk) + "." + digits.substring(kk);
    }
    if (kk > -6 && kk <= 0) {
      return sign + "0." + "0".repeat(-kk) + digits;
    }
    String exp = "e" + (kk - 1);
    return sign + (digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1)) + exp;
  }
}
