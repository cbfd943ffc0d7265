package io.mnisttf.tensorboard;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;
import org.tensorflow.proto.TensorProto;

/**
 * Reads TensorBoard event files back: every frame's checksums are verified ({@link TfRecordReader}), every
 * record must parse as an {@code Event}, and the first must carry a {@code file_version} starting with
 * "brain.Event:". Failures throw {@link TfRecordFormatException} naming the file and offset.
 */
public final class EventFileReader {
  /** What every event file name contains; TensorBoard ignores files without it. */
  public static final String NAME_MARKER = "tfevents";

  private EventFileReader() {}

  /** All events of {@code file}, in order, the file-version event first. */
  public static List<Event> read(Path file) throws IOException {
    List<Event> events = new ArrayList<>();
    try (TfRecordReader reader = TfRecordReader.open(file)) {
      for (byte[] data; (data = reader.next()) != null; ) {
        Event event;
        try {
          event = Event.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
          throw new TfRecordFormatException(file, reader.recordOffset(),
              "not an Event message (" + e.getMessage() + ")", e);
        }
        if (events.isEmpty() && !event.getFileVersion().startsWith("brain.Event:")) {
          throw new TfRecordFormatException(file, 0, "first event has no file version (\""
              + EventFileWriter.FILE_VERSION + "\" expected, found \"" + event.getFileVersion() + "\")");
        }
        events.add(event);
      }
    }
    if (events.isEmpty()) {
      throw new TfRecordFormatException(file, 0, "empty event file (a file-version event expected)");
    }
    return events;
  }

  /** The scalar points of {@code file} (simple values and float32 scalar tensors), in file order. */
  public static List<ScalarPoint> scalars(Path file) throws IOException {
    List<ScalarPoint> points = new ArrayList<>();
    for (Event event : read(file)) {
      for (Summary.Value v : event.getSummary().getValueList()) {
        Float scalar = scalarOf(v);
        if (scalar != null) {
          points.add(new ScalarPoint(v.getTag(), event.getStep(), scalar, event.getWallTime()));
        }
      }
    }
    return points;
  }

  /** The event files directly in {@code dir} (names containing "tfevents"), sorted by name. */
  public static List<Path> eventFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().contains(NAME_MARKER) && Files.isRegularFile(p))
          .sorted()
          .toList();
    }
  }

  /** The value of a scalar summary value, or null if it holds something else. */
  static Float scalarOf(Summary.Value v) {
    switch (v.getValueCase()) {
      case SIMPLE_VALUE:
        return v.getSimpleValue();
      case TENSOR:
        TensorProto t = v.getTensor();
        if (t.getDtype() != DataType.DT_FLOAT || t.getTensorShape().getDimCount() != 0) {
          return null;
        }
        if (t.getFloatValCount() == 1) {
          return t.getFloatVal(0);
        }
        if (t.getTensorContent().size() == Float.BYTES) {
          return t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getFloat();
        }
        return null;
      default:
        return null;
    }
  }
}
