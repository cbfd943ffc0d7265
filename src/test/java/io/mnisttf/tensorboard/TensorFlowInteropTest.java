package io.mnisttf.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFOutOfRangeException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.data.IteratorGetNext;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Checks the pure-Java format against TensorFlow's own C++ code, both ways: TensorFlow's TFRecord reader
 * (which verifies both CRCs of every frame) reads the records this package writes, and this package's reader
 * reads an event file written by TensorFlow's summary file writer. Test code only: the product writes no
 * TensorFlow ops.
 */
class TensorFlowInteropTest {
  @TempDir Path dir;

  /** The records of {@code file} as TensorFlow's TFRecordDataset reads them. */
  private static List<byte[]> readWithTensorFlow(Path file) {
    List<byte[]> records = new ArrayList<>();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      // The V1 op, as Python's tf.data.TFRecordDataset uses without byte offsets: TF Java's tfRecordDataset is
      // TFRecordDatasetV2, whose graph rewrite in MakeIterator fails in TF 2.18 ("3 inputs specified of 4").
      Operand<TType> dataset = g.opBuilder("TFRecordDataset", "records", tf.scope())
          .addInput(tf.constant(StandardCharsets.UTF_8, new String[] {file.toString()}).asOutput())
          .addInput(tf.constant("").asOutput())
          .addInput(tf.constant(0L).asOutput())
          .build()
          .output(0);
      List<Class<? extends TType>> types = List.of(TString.class);
      List<Shape> shapes = List.of(Shape.scalar());
      org.tensorflow.op.data.Iterator iterator = tf.data.iterator("records", "", types, shapes);
      Op makeIterator = tf.data.makeIterator(dataset, iterator.handle());
      IteratorGetNext next = tf.data.iteratorGetNext(iterator.handle(), types, shapes);
      s.runner().addTarget(makeIterator).run().close();
      while (true) {
        try (Result out = s.runner().fetch(next.components().get(0)).run()) {
          records.add(((TString) out.get(0)).asBytes().getObject());
        } catch (TFOutOfRangeException end) {
          return records;
        }
      }
    }
  }

  @Test
  void tensorFlowReadsOurEventFileWithValidChecksums() throws IOException {
    Path file;
    try (EventFileWriter writer = EventFileWriter.create(dir, ScalarFormat.TENSOR)) {
      for (int step = 1; step <= 50; step++) {
        writer.writeScalar(step % 2 == 0 ? "epoch_loss" : "batch_loss", step, 1f / step);
      }
      file = writer.path();
    }
    List<byte[]> ours = TfRecordReader.readAll(file);
    List<byte[]> theirs = readWithTensorFlow(file);
    assertEquals(51, theirs.size());
    for (int i = 0; i < ours.size(); i++) {
      assertArrayEquals(ours.get(i), theirs.get(i), "record " + i);
    }
  }

  @Test
  void tensorFlowRejectsACorruptedRecordOfOurs() throws IOException {
    Path file;
    try (EventFileWriter writer = EventFileWriter.create(dir, ScalarFormat.SIMPLE_VALUE)) {
      writer.writeScalar("epoch_loss", 1, 0.5f);
      file = writer.path();
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 6] ^= 0x01;
    Files.write(file, bytes);
    var e = assertThrows(RuntimeException.class, () -> readWithTensorFlow(file));
    assertTrue(e.getMessage().contains("corrupted record"), e.getMessage());
    assertThrows(TfRecordFormatException.class, () -> TfRecordReader.readAll(file));
  }

  @Test
  void ourReaderReadsAnEventFileWrittenByTensorFlow() throws IOException {
    Path logDir = dir.resolve("tf");
    float[] values = {0.75f, 0.5f, 1f / 3};
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var writer = tf.summary.summaryWriter();
      Op create = tf.summary.createSummaryFileWriter(writer, tf.constant(logDir.toString()), tf.constant(10),
          tf.constant(60_000), tf.constant(".v2"));
      Placeholder<TInt64> step = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
      Placeholder<TFloat32> value = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      Op write = tf.summary.writeScalarSummary(writer, step, tf.constant("epoch_loss"), value);
      Op close = tf.summary.closeSummaryWriter(writer);
      s.runner().addTarget(create).run().close();
      for (int i = 0; i < values.length; i++) {
        try (TInt64 st = TInt64.scalarOf(i + 1); TFloat32 v = TFloat32.scalarOf(values[i])) {
          s.runner().feed(step, st).feed(value, v).addTarget(write).run().close();
        }
      }
      s.runner().addTarget(close).run().close();
    }
    List<Path> files = EventFileReader.eventFiles(logDir);
    assertEquals(1, files.size());
    assertEquals("brain.Event:2", EventFileReader.read(files.get(0)).get(0).getFileVersion());
    List<ScalarPoint> points = EventFileReader.scalars(files.get(0));
    assertEquals(values.length, points.size());
    for (int i = 0; i < values.length; i++) {
      assertEquals("epoch_loss", points.get(i).tag());
      assertEquals(i + 1, points.get(i).step());
      assertEquals(values[i], points.get(i).value(), 0f);
    }
  }
}
