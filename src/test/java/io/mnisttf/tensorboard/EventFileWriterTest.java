package io.mnisttf.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataClass;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

class EventFileWriterTest {
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_790_000_000L, 250_000_000), ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void fileIsNamedLikeTensorFlowsAndStartsWithTheFileVersion() throws IOException {
    Path file;
    try (EventFileWriter writer = EventFileWriter.create(dir.resolve("run/train"), ScalarFormat.SIMPLE_VALUE, CLOCK)) {
      file = writer.path();
    }
    assertEquals(dir.resolve("run/train"), file.getParent());
    String name = file.getFileName().toString();
    assertTrue(name.matches("events\\.out\\.tfevents\\.1790000000\\.[A-Za-z0-9._-]+\\."
        + ProcessHandle.current().pid() + "\\.\\d+\\.v2"), name);
    List<Event> events = EventFileReader.read(file);
    assertEquals(1, events.size());
    assertEquals("brain.Event:2", events.get(0).getFileVersion());
    assertEquals(1_790_000_000.25, events.get(0).getWallTime());
  }

  @Test
  void twoWritersInOneFolderGetTwoFiles() throws IOException {
    try (EventFileWriter a = EventFileWriter.create(dir, ScalarFormat.SIMPLE_VALUE, CLOCK);
        EventFileWriter b = EventFileWriter.create(dir, ScalarFormat.SIMPLE_VALUE, CLOCK)) {
      assertNotEquals(a.path(), b.path());
    }
    assertEquals(2, EventFileReader.eventFiles(dir).size());
  }

  @Test
  void simpleValuesRoundTripExactly() throws IOException {
    float[] values = {0.0f, 1.5f, -2.25e-7f, Float.MAX_VALUE, Float.MIN_VALUE, 0.1f, Float.NaN};
    Path file;
    try (EventFileWriter writer = EventFileWriter.create(dir, ScalarFormat.SIMPLE_VALUE, CLOCK)) {
      for (int i = 0; i < values.length; i++) {
        writer.writeScalar("tag/" + i, 10L * i, values[i]);
      }
      file = writer.path();
    }
    List<Event> events = EventFileReader.read(file);
    assertEquals(values.length + 1, events.size());
    for (int i = 0; i < values.length; i++) {
      Event e = events.get(i + 1);
      assertEquals(10L * i, e.getStep());
      Summary.Value v = e.getSummary().getValue(0);
      assertEquals(Summary.Value.ValueCase.SIMPLE_VALUE, v.getValueCase());
      assertEquals("tag/" + i, v.getTag());
      assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(v.getSimpleValue()));
      assertFalse(v.hasMetadata());
    }
  }

  @Test
  void tensorFormatCarriesScalarMetadataOnTheFirstValueOfEachTag() throws IOException {
    Path file;
    try (EventFileWriter writer = EventFileWriter.create(dir, ScalarFormat.TENSOR, CLOCK)) {
      writer.writeScalar("a", 1, 0.5f);
      writer.writeScalar("b", 1, 2.5f);
      writer.writeScalar("a", 2, 0.25f);
      file = writer.path();
    }
    List<Event> events = EventFileReader.read(file);
    Summary.Value a1 = events.get(1).getSummary().getValue(0);
    Summary.Value b1 = events.get(2).getSummary().getValue(0);
    Summary.Value a2 = events.get(3).getSummary().getValue(0);
    for (Summary.Value v : List.of(a1, b1, a2)) {
      assertEquals(Summary.Value.ValueCase.TENSOR, v.getValueCase());
      assertEquals(DataType.DT_FLOAT, v.getTensor().getDtype());
      assertEquals(0, v.getTensor().getTensorShape().getDimCount());
      assertEquals(1, v.getTensor().getFloatValCount());
    }
    assertEquals("scalars", a1.getMetadata().getPluginData().getPluginName());
    assertEquals(DataClass.DATA_CLASS_SCALAR, a1.getMetadata().getDataClass());
    assertTrue(b1.hasMetadata());
    assertFalse(a2.hasMetadata());
    double t = 1_790_000_000.25;
    assertEquals(List.of(new ScalarPoint("a", 1, 0.5f, t), new ScalarPoint("b", 1, 2.5f, t),
        new ScalarPoint("a", 2, 0.25f, t)), EventFileReader.scalars(file));
  }

  @Test
  void writingAfterCloseFailsNamingTheFile() throws IOException {
    EventFileWriter writer = EventFileWriter.create(dir, ScalarFormat.SIMPLE_VALUE, CLOCK);
    writer.close();
    writer.close();
    var e = assertThrows(IOException.class, () -> writer.writeScalar("x", 1, 1f));
    assertTrue(e.getMessage().startsWith(writer.path().toString()), e.getMessage());
  }

  @Test
  void aFileWithoutFileVersionIsRejected() throws IOException {
    Path file = dir.resolve("events.out.tfevents.bad");
    try (TfRecordWriter records = new TfRecordWriter(Files.newOutputStream(file))) {
      records.write(Event.newBuilder().setStep(3).build().toByteArray());
    }
    var e = assertThrows(TfRecordFormatException.class, () -> EventFileReader.read(file));
    assertTrue(e.getMessage().contains("\"brain.Event:2\" expected, found \"\""), e.getMessage());
  }

  @Test
  void recordsThatAreNotEventsAreRejectedWithTheirOffset() throws IOException {
    Path file = dir.resolve("events.out.tfevents.garbage");
    try (TfRecordWriter records = new TfRecordWriter(Files.newOutputStream(file))) {
      records.write(Event.newBuilder().setFileVersion(EventFileWriter.FILE_VERSION).build().toByteArray());
      records.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
    }
    long second = Files.size(file) - 3 - TfRecordWriter.FRAME_OVERHEAD;
    var e = assertThrows(TfRecordFormatException.class, () -> EventFileReader.read(file));
    assertEquals(second, e.offset());
    assertTrue(e.getMessage().contains("not an Event message"), e.getMessage());
  }
}
