package io.mnisttf.serve.json;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MapEntry;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Writes JSON as TF Serving's status and metadata answers are written (protobuf's C++ JSON printer with
 * {@code add_whitespace}, {@code always_print_primitive_fields} and {@code preserve_proto_field_names}): one
 * space of indent per level, {@code "key": value}, 64-bit integers quoted, enums by name, bytes in base64,
 * primitive fields printed even when they hold their default, empty lists and maps as {@code []} and
 * {@code {}}, a message's plain fields in declaration order and then the member set in each {@code oneof}
 * (which is why a {@code TensorInfo} ends with its {@code name}), and a newline after the closing brace.
 */
public final class ProtoJson {
  private final StringBuilder out = new StringBuilder(1024);
  private final List<int[]> open = new ArrayList<>(); // members written so far, per open object or array
  private boolean afterKey;

  /** {@code message} as the C++ printer writes a root message, newline included. */
  public static String of(Message message) {
    return new ProtoJson().message(message).end();
  }

  /** An empty writer. */
  public ProtoJson() {}

  /** Opens an object (a value, an array element or the root). */
  public ProtoJson startObject() {
    beforeValue();
    out.append('{');
    open.add(new int[1]);
    return this;
  }

  /** Closes the innermost object. */
  public ProtoJson endObject() {
    return close('}');
  }

  /** Opens an array (a value, an array element or the root). */
  public ProtoJson startArray() {
    beforeValue();
    out.append('[');
    open.add(new int[1]);
    return this;
  }

  /** Closes the innermost array. */
  public ProtoJson endArray() {
    return close(']');
  }

  private ProtoJson close(char c) {
    int members = open.remove(open.size() - 1)[0];
    if (members > 0) {
      newLine();
    }
    out.append(c);
    return this;
  }

  /** A member's name; its value comes next. */
  public ProtoJson key(String name) {
    beforeMember();
    PrettyJson.quote(out, name);
    out.append(": ");
    afterKey = true;
    return this;
  }

  /** A string value, escaped as JSON needs. */
  public ProtoJson string(String s) {
    beforeValue();
    PrettyJson.quote(out, s);
    return this;
  }

  private ProtoJson raw(String token) {
    beforeValue();
    out.append(token);
    return this;
  }

  private void beforeValue() {
    if (afterKey) {
      afterKey = false;
      return;
    }
    if (!open.isEmpty()) {
      beforeMember(); // an array element
    }
  }

  private void beforeMember() {
    int[] count = open.get(open.size() - 1);
    if (count[0]++ > 0) {
      out.append(',');
    }
    newLine();
  }

  private void newLine() {
    out.append('\n').append(" ".repeat(open.size()));
  }

  /** The text written, with the newline the printer adds after the root. */
  public String end() {
    return out.append('\n').toString();
  }

  /** Writes {@code m} as an object. */
  public ProtoJson message(Message m) {
    startObject();
    List<FieldDescriptor> oneofs = new ArrayList<>();
    for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
      if (f.getRealContainingOneof() != null) {
        oneofs.add(f);
      } else if (f.isRepeated() || f.getJavaType() != FieldDescriptor.JavaType.MESSAGE || m.hasField(f)) {
        field(m, f);
      }
    }
    for (FieldDescriptor f : oneofs) {
      if (m.hasField(f)) {
        field(m, f);
      }
    }
    return endObject();
  }

  private void field(Message m, FieldDescriptor f) {
    key(f.getName());
    Object value = m.getField(f);
    if (f.isMapField()) {
      startObject();
      for (Object entry : (List<?>) value) {
        MapEntry<?, ?> e = (MapEntry<?, ?>) entry;
        FieldDescriptor valueField = e.getDescriptorForType().findFieldByName("value");
        key(String.valueOf(e.getKey()));
        value(valueField, e.getValue());
      }
      endObject();
    } else if (f.isRepeated()) {
      startArray();
      for (Object item : (List<?>) value) {
        value(f, item);
      }
      endArray();
    } else {
      value(f, value);
    }
  }

  private void value(FieldDescriptor f, Object v) {
    switch (f.getType()) {
      case INT32, SINT32, SFIXED32 -> raw(Integer.toString((Integer) v));
      case UINT32, FIXED32 -> raw(Integer.toUnsignedString((Integer) v));
      case INT64, SINT64, SFIXED64 -> string(Long.toString((Long) v));
      case UINT64, FIXED64 -> string(Long.toUnsignedString((Long) v));
      case FLOAT -> floating((Float) v, true);
      case DOUBLE -> floating((Double) v, false);
      case BOOL -> raw(((Boolean) v) ? "true" : "false");
      case STRING -> string((String) v);
      case BYTES -> string(Base64.getEncoder().encodeToString(((ByteString) v).toByteArray()));
      case ENUM -> {
        EnumValueDescriptor e = (EnumValueDescriptor) v;
        if (e.getIndex() < 0) {
          raw(Integer.toString(e.getNumber()));
        } else {
          string(e.getName());
        }
      }
      default -> message((Message) v);
    }
  }

  /** protobuf's {@code SimpleFtoa}/{@code SimpleDtoa}: 6 (15) digits when they read back, else 9 (17). */
  private void floating(double v, boolean isFloat) {
    if (Double.isNaN(v)) {
      string("NaN");
    } else if (Double.isInfinite(v)) {
      string(v > 0 ? "Infinity" : "-Infinity");
    } else if (isFloat) {
      String six = Decimals.g(v, 6);
      raw(Float.parseFloat(six) == (float) v ? six : Decimals.g(v, 9));
    } else {
      String fifteen = Decimals.g(v, 15);
      raw(Double.parseDouble(fifteen) == v ? fifteen : Decimals.g(v, 17));
    }
  }
}
