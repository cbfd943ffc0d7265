package io.mnisttf.tensorboard;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.mnisttf.util.PendingFiles;
import io.mnisttf.util.Problems;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.tensorflow.proto.DataClass;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;
import org.tensorflow.proto.SummaryMetadata;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Writes one TensorBoard event file in pure Java: TFRecord frames ({@link TfRecordWriter}) of serialized
 * {@code org.tensorflow.proto.Event} messages, the first holding {@code file_version = "brain.Event:2"}. No
 * TensorFlow op or native library is involved, so nothing about the log folder reaches a graph.
 *
 * <p>The file is {@code <dir>/events.out.tfevents.<seconds>.<host>.<pid>.<n>.v2}, the name TensorFlow's own
 * writer uses ({@code n} counts the files this process opened); an existing file is never overwritten.
 * Records go through a 64 KiB buffer and reach the file whole, on {@link #flush()}, {@link #close()} or when
 * the buffer fills; each of these is a {@link PendingFiles.Write}, so quitting at once never cuts a record in
 * two. The event and summary builders and the serialization buffer are reused, so a scalar costs a few small objects.
 *
 * <p>Not thread-safe. {@link #close()} may be called more than once. Every I/O error names the file.
 */
public final class EventFileWriter implements AutoCloseable {
  /** The {@code file_version} of the first event; TensorBoard reads "brain.Event:2" files. */
  public static final String FILE_VERSION = "brain.Event:2";
  /** Plugin that shows scalar summaries. */
  public static final String SCALARS_PLUGIN = "scalars";

  private static final int BUFFER_BYTES = 1 << 16;
  private static final AtomicLong FILE_COUNTER = new AtomicLong();
  private static final SummaryMetadata SCALAR_METADATA = SummaryMetadata.newBuilder()
      .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName(SCALARS_PLUGIN))
      .setDataClass(DataClass.DATA_CLASS_SCALAR)
      .build();

  private final Path path;
  private final ScalarFormat format;
  private final Clock clock;
  private final TfRecordWriter records;
  private final Event.Builder event = Event.newBuilder();
  private final Summary.Builder summary = Summary.newBuilder();
  private final Summary.Value.Builder value = Summary.Value.newBuilder();
  private final TensorProto.Builder tensor = TensorProto.newBuilder();
  private final Map<String, ByteString> tagBytes = new HashMap<>();
  private final Set<String> taggedWithMetadata = new HashSet<>();
  private byte[] buffer = new byte[256];
  private boolean closed;

  private EventFileWriter(Path path, ScalarFormat format, Clock clock, TfRecordWriter records) {
    this.path = path;
    this.format = format;
    this.clock = clock;
    this.records = records;
  }

  /**
   * Does now, once per process, the work that the first event file and its first scalar would otherwise do on the
   * training's clock: the host name for file names, and loading protobuf's event, summary and tensor classes, by
   * writing a file-version event and one scalar, as {@link #create} and {@link #writeScalar} do, into a stream that
   * discards them: nothing reaches a file. About 60 ms in {@code train --logdir}, where the tool calls it while
   * TensorFlow starts.
   */
  public static void preload() {
    EventFileWriter discarding = new EventFileWriter(Path.of(Host.NAME), ScalarFormat.TENSOR, Clock.systemUTC(),
        new TfRecordWriter(OutputStream.nullOutputStream()));
    try {
      discarding.write(Event.newBuilder().setWallTime(discarding.wallTime()).setFileVersion(FILE_VERSION).build());
      discarding.writeScalar("preload", 0, 0f);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a stream that discards everything does not fail
    }
  }

  /**
   * Creates {@code dir} if needed and a new event file in it, and writes the file-version event.
   *
   * @param dir folder of one TensorBoard run, e.g. {@code <logdir>/train}
   * @param format how scalars are stored
   */
  public static EventFileWriter create(Path dir, ScalarFormat format) throws IOException {
    return create(dir, format, Clock.systemUTC());
  }

  /** As {@link #create(Path, ScalarFormat)}, with the clock that stamps the file name and wall times. */
  public static EventFileWriter create(Path dir, ScalarFormat format, Clock clock) throws IOException {
    Files.createDirectories(dir);
    long seconds = clock.instant().getEpochSecond();
    long pid = ProcessHandle.current().pid();
    while (true) {
      Path file = dir.resolve(String.format("events.out.tfevents.%d.%s.%d.%d.v2", seconds, Host.NAME, pid,
          FILE_COUNTER.getAndIncrement()));
      BufferedOutputStream out;
      try {
        out = new BufferedOutputStream(
            Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), BUFFER_BYTES);
      } catch (FileAlreadyExistsException e) {
        continue;
      }
      EventFileWriter writer = new EventFileWriter(file, format, clock, new TfRecordWriter(out));
      try {
        writer.write(Event.newBuilder().setWallTime(writer.wallTime()).setFileVersion(FILE_VERSION).build());
        return writer;
      } catch (IOException | RuntimeException e) {
        writer.closeQuietly(e);
        throw e;
      }
    }
  }

  /**
   * Appends one scalar event.
   *
   * @param tag series name, e.g. {@code epoch_loss}
   * @param step x coordinate in TensorBoard (epoch or global step)
   * @param scalar value, stored as float32
   */
  public void writeScalar(String tag, long step, float scalar) throws IOException {
    value.clear().setTagBytes(tagBytes.computeIfAbsent(tag, ByteString::copyFromUtf8));
    if (format == ScalarFormat.SIMPLE_VALUE) {
      value.setSimpleValue(scalar);
    } else {
      tensor.clear()
          .setDtype(DataType.DT_FLOAT)
          .setTensorShape(TensorShapeProto.getDefaultInstance())
          .addFloatVal(scalar);
      value.setTensor(tensor);
      if (taggedWithMetadata.add(tag)) {
        value.setMetadata(SCALAR_METADATA);
      }
    }
    write(event.clear().setWallTime(wallTime()).setStep(step).setSummary(summary.clear().addValue(value)).build());
  }

  /** Appends any event (its framing and checksums are added here). */
  public void write(Event e) throws IOException {
    if (closed) {
      throw new IOException(path + ": event file is closed");
    }
    int size = e.getSerializedSize();
    if (buffer.length < size) {
      buffer = new byte[Math.max(size, 2 * buffer.length)];
    }
    CodedOutputStream coded = CodedOutputStream.newInstance(buffer, 0, size);
    e.writeTo(coded);
    coded.checkNoSpaceLeft();
    try (PendingFiles.Write appending = PendingFiles.process().begin()) {
      records.write(buffer, 0, size);
    } catch (IOException ex) {
      throw named(ex);
    }
  }

  /** Sends the buffered events to the file, where TensorBoard can read them. */
  public void flush() throws IOException {
    try (PendingFiles.Write appending = PendingFiles.process().begin()) {
      records.flush();
    } catch (IOException ex) {
      throw named(ex);
    }
  }

  /** The event file. */
  public Path path() {
    return path;
  }

  /** Bytes written so far, buffered ones included. */
  public long bytesWritten() {
    return records.bytesWritten();
  }

  /** Flushes and closes the file; later calls do nothing. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (PendingFiles.Write appending = PendingFiles.process().begin()) {
      records.close();
    } catch (IOException ex) {
      throw named(ex);
    }
  }

  private void closeQuietly(Throwable cause) {
    try {
      close();
    } catch (IOException suppressed) {
      cause.addSuppressed(suppressed);
    }
  }

  private double wallTime() {
    Instant now = clock.instant();
    return now.getEpochSecond() + now.getNano() / 1e9;
  }

  private IOException named(IOException e) {
    String message = e.getMessage();
    return message != null && message.startsWith(path.toString())
        ? e : new IOException(path + ": " + Problems.describe(e), e);
  }

  /** The host name in event file names: letters, digits, '.', '-' and '_' only. */
  private static final class Host {
    static final String NAME = lookUp();

    private static String lookUp() {
      String name = System.getenv("HOSTNAME");
      if (name == null || name.isBlank()) {
        try {
          name = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
          name = "localhost";
        }
      }
      String clean = name.replaceAll("[^A-Za-z0-9._-]", "_");
      return clean.isEmpty() ? "localhost" : clean;
    }
  }
}
