package io.mnisttf.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mnisttf.testing.UserText;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coverage-guided fuzz test of {@link IdxReader} and {@link Mnist#load}: whatever the bytes, reading returns
 * exactly what the IDX format defines or throws {@link MnistFormatException} with a one-line message that
 * starts with the file. Any other exception or error (OutOfMemoryError, StackOverflowError), an input
 * that runs longer than {@link #MAX_TIME_PER_INPUT} or allocates more than
 * {@value #MAX_ALLOCATION_PER_INPUT} bytes is a finding.
 *
 * <p>{@code mvn test} replays the committed inputs in {@code IdxReaderFuzzTestInputs/idxFiles} (the same inputs
 * every run, about a second). A fuzzing campaign runs on request: {@code JAZZER_FUZZ=1} (environment variable or
 * system property) fuzzes for the {@code maxDuration} below, {@code -Djazzer.max_duration=10m} for longer:
 * {@code mvn test -Dtest=IdxReaderFuzzTest -DJAZZER_FUZZ=1 -Djazzer.hooks=true -Djazzer.max_duration=10m} (the
 * pom turns Jazzer's bug detectors off for the replay: {@code jazzer.hooks}). Crashing inputs are
 * written to that folder as {@code crash-<sha1>}; committing one adds it to every replay.
 *
 * <p>One fuzz method serves three targets because Jazzer fuzzes only one {@code @FuzzTest} per JVM. The
 * first input byte {@code h} chooses target {@code (h & 0x7f) % 3}; its bit 7 makes the harness gzip the
 * file it writes, so that the gzip and the plain path of the reader are both reached by any content (a
 * raw input may still be a gzip stream of its own).
 * <ul>
 *   <li>0, raw: the remaining bytes are the file; it is read as a label file (rank 1) and as an image
 *       file (rank 3).
 *   <li>1, structured: a control byte {@code m} and a few fields build a mostly valid IDX file whose data
 *       length follows the declared dimensions, so that mutations stay deep in the format. {@code m} bit 0:
 *       rank 3 ("image") instead of rank 1 ("label"); bit 1: the next 4 bytes replace the valid magic;
 *       bit 2: each dimension is a 4-byte int instead of one unsigned byte; bit 3: the next signed byte
 *       is added to the data length. The rest of the input is the data pattern, repeated.
 *   <li>2, folder: the four MNIST files are written and loaded with {@link Mnist#load} ({@link #folder}).
 * </ul>
 * The harness knows what the reader must do with every file it writes: {@link #parse}, written from the
 * IDX definition alone, decides whether the decompressed content is valid and what it holds, and the
 * reader must agree. Only a file that is a gzip stream by itself is checked for consistency alone, since
 * the harness has no second gzip decoder that follows commons-compress's rules.
 *
 * <p>Inputs stay small: libFuzzer's default {@code -max_len} is 4096 for this seed corpus, the raw target
 * ignores bytes beyond {@value #MAX_RAW}, structured data stays within {@value #MAX_STRUCTURED_DATA} bytes
 * and a folder holds at most 7 images per part.
 */
class IdxReaderFuzzTest {
  /** Bytes of a raw input that the harness writes; more are ignored. */
  static final int MAX_RAW = 1 << 14;
  /** Largest data block of a structured file. */
  static final int MAX_STRUCTURED_DATA = 1 << 16;
  /** Time after which an input counts as a hang (typical inputs take about a millisecond). */
  static final Duration MAX_TIME_PER_INPUT = Duration.ofSeconds(10);
  /**
   * Bytes the harness thread may allocate for one input: the reader allocates as data arrives, so even
   * a gzip bomb of {@value #MAX_RAW} bytes (at most about 1000 times that inflated) stays below it, while
   * a reader that trusted a header's billions of items would not.
   */
  static final long MAX_ALLOCATION_PER_INPUT = 64L << 20;

  private static final String[] TARGETS = {"raw", "structured", "folder"};

  @TempDir static Path root;

  private static final Worker worker = new Worker();
  /** Inputs run, inputs that failed, and per target how many reads returned data and how many threw. */
  private static long inputs;
  private static long findings;
  private static final long[][] outcomes = new long[TARGETS.length][2];

  @FuzzTest(maxDuration = "10s")
  @DictionaryEntries({"\u0000\u0000\u0008\u0001", "\u0000\u0000\u0008\u0003"})
  void idxFiles(byte[] input) throws Exception {
    inputs++;
    try {
      worker.run(() -> {
        Cursor in = new Cursor(input);
        int h = in.next();
        boolean wrap = (h & 0x80) != 0;
        switch ((h & 0x7f) % 3) {
          case 0 -> raw(in.rest(MAX_RAW), wrap);
          case 1 -> structured(in, wrap);
          default -> folder(in);
        }
      });
    } catch (Throwable finding) {
      findings++;
      throw finding;
    }
  }

  /**
   * Guards the harness itself: every target must have seen files accepted and files rejected. When fuzzing
   * ({@code JAZZER_FUZZ} true), more inputs must have run than the seed corpus holds, which catches a Jazzer
   * change or a second fuzz test that silently turns the run into replay; when replaying, every committed
   * input must have run. After a finding, which ends the run early, there is nothing to add.
   */
  @AfterAll
  static void everyTargetAcceptedAndRejectedAndEverySeedRan() throws IOException, URISyntaxException {
    if (findings > 0) {
      return;
    }
    for (int t = 0; t < TARGETS.length; t++) {
      assertTrue(outcomes[t][0] > 0 && outcomes[t][1] > 0, TARGETS[t] + " target: " + outcomes[t][0]
          + " files accepted, " + outcomes[t][1] + " rejected; both must occur");
    }
    long seeds = seedCount();
    if (fuzzing()) {
      assertTrue(inputs > seeds + 1, inputs + " inputs run for " + seeds
          + " seeds: Jazzer replayed the corpus instead of fuzzing");
    } else {
      assertTrue(inputs >= seeds, inputs + " inputs run for " + seeds + " committed seeds: some were not replayed");
    }
  }

  /** Jazzer 0.30 fuzzes when JAZZER_FUZZ (variable or system property) is true, and replays otherwise. */
  private static boolean fuzzing() {
    return Stream.of(System.getenv("JAZZER_FUZZ"), System.getProperty("JAZZER_FUZZ")).anyMatch(v -> v != null
        && (v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes")));
  }

  private static long seedCount() throws IOException, URISyntaxException {
    Path seeds = Path.of(IdxReaderFuzzTest.class.getResource("IdxReaderFuzzTestInputs/idxFiles").toURI());
    try (Stream<Path> files = Files.list(seeds)) {
      return files.count();
    }
  }

  private static void raw(byte[] content, boolean wrap) throws IOException {
    Path file = write(root.resolve("raw"), content, wrap);
    boolean gzipItself = !wrap && isGzip(content);
    for (int rank : new int[] {1, 3}) {
      checkRead(0, file, rank, gzipItself ? null : parse(content, rank), !gzipItself);
    }
  }

  private static void structured(Cursor in, boolean wrap) throws IOException {
    int m = in.next();
    int rank = (m & 0x01) != 0 ? 3 : 1;
    byte[] magic = (m & 0x02) != 0 ? in.bytes(4) : new byte[] {0, 0, IdxReader.UNSIGNED_BYTE, (byte) rank};
    int[] dims = new int[rank];
    long product = 1;
    for (int i = 0; i < rank; i++) {
      dims[i] = (m & 0x04) != 0 ? ByteBuffer.wrap(in.bytes(4)).getInt() : in.next();
      product = Math.min(product * Math.max(dims[i], 0), 1L << 32); // below 2^32 * 2^31: no overflow
    }
    long delta = (m & 0x08) != 0 ? (byte) in.next() : 0;
    int length = (int) Math.max(0, Math.min(product + delta, MAX_STRUCTURED_DATA));
    byte[] pattern = in.rest(MAX_RAW);
    ByteBuffer content = ByteBuffer.allocate(4 + 4 * rank + length).put(magic);
    for (int d : dims) {
      content.putInt(d);
    }
    for (int i = 0; i < length; i++) {
      content.put(pattern.length == 0 ? 0 : pattern[i % pattern.length]);
    }
    byte[] bytes = content.array();
    Path file = write(root.resolve("structured"), bytes, wrap);
    boolean gzipItself = !wrap && isGzip(bytes);
    checkRead(1, file, rank, gzipItself ? null : parse(bytes, rank), !gzipItself);
  }

  /**
   * Reads {@code file} and checks the outcome. With {@code exact}, the reader must return {@code expected}
   * or, when it is null, throw; otherwise any consistent array or a well-formed exception passes.
   */
  private static void checkRead(int target, Path file, int rank, Expected expected, boolean exact) {
    String kind = rank == 1 ? "label" : "image";
    IdxReader.IdxArray array;
    try {
      array = IdxReader.read(file, rank, kind);
    } catch (MnistFormatException e) {
      outcomes[target][1]++;
      assertOneLineAbout(e, List.of(file));
      if (exact) {
        assertNull(expected, () -> "valid " + kind + " file rejected: " + e.getMessage());
      }
      return;
    }
    outcomes[target][0]++;
    assertEquals(file, array.file());
    assertEquals(rank, array.dims().length, "rank");
    long product = 1;
    for (int d : array.dims()) {
      assertTrue(d >= 0, () -> "negative dimension in " + Arrays.toString(array.dims()));
      product *= d;
    }
    assertEquals(product, array.data().length, () -> "data length for " + Arrays.toString(array.dims()));
    if (exact) {
      assertNotNull(expected, () -> "invalid " + kind + " file accepted as " + Arrays.toString(array.dims()));
      assertArrayEquals(expected.dims(), array.dims(), "dims");
      assertArrayEquals(expected.data(), array.data(), "data");
    }
  }

  /**
   * Target 2. For the training part, then the test part: a control byte {@code c}, the image count
   * ({@code & 0x07}), then the optional fields; the rest of the input is a pattern for pixels and labels.
   * {@code c} bit 0: the next byte ({@code & 0x1f}) replaces both image sides of 28; bit 1: the next signed
   * byte is added to the label count; bit 2: labels are pattern bytes as they are instead of modulo 10;
   * bits 3 and 4: images and labels gzip-compressed; bits 5 and 6: images and labels under the name
   * without {@code .gz}; bit 7: no label file.
   */
  private static void folder(Cursor in) throws IOException {
    Path dir = Files.createDirectories(root.resolve("mnist"));
    List<Path> files = new ArrayList<>();
    for (String name : List.of(Mnist.TRAIN_IMAGES, Mnist.TRAIN_LABELS, Mnist.TEST_IMAGES, Mnist.TEST_LABELS)) {
      files.add(dir.resolve(name + ".gz"));
      files.add(dir.resolve(name));
    }
    for (Path f : files) {
      Files.deleteIfExists(f);
    }
    Part train = Part.of(in);
    Part test = Part.of(in);
    byte[] pattern = in.rest(MAX_RAW);
    MnistData trainData = writePart(dir, Mnist.TRAIN_IMAGES, Mnist.TRAIN_LABELS, train, pattern);
    MnistData testData = writePart(dir, Mnist.TEST_IMAGES, Mnist.TEST_LABELS, test, pattern);
    Mnist mnist;
    try {
      mnist = Mnist.load(dir);
    } catch (MnistFormatException e) {
      outcomes[2][1]++;
      assertOneLineAbout(e, files);
      assertTrue(trainData == null || testData == null, () -> "valid folder rejected: " + e.getMessage());
      return;
    }
    outcomes[2][0]++;
    assertNotNull(trainData, "invalid training part accepted");
    assertNotNull(testData, "invalid test part accepted");
    assertArrayEquals(trainData.pixels(), mnist.train().pixels(), "training pixels");
    assertArrayEquals(trainData.labels(), mnist.train().labels(), "training labels");
    assertArrayEquals(testData.pixels(), mnist.test().pixels(), "test pixels");
    assertArrayEquals(testData.labels(), mnist.test().labels(), "test labels");
  }

  private record Part(int control, int count, int labelCount, int side) {
    static Part of(Cursor in) {
      int c = in.next();
      int count = in.next() & 0x07;
      int labelCount = (c & 0x02) != 0 ? Math.max(0, count + (byte) in.next()) : count;
      int side = (c & 0x01) != 0 ? in.next() & 0x1f : MnistData.ROWS;
      return new Part(c, count, labelCount, side);
    }

    boolean has(int bit) {
      return (control & bit) != 0;
    }
  }

  /** Writes one part's two files; returns what loading them must give, or null when it must fail. */
  private static MnistData writePart(Path dir, String imagesName, String labelsName, Part part, byte[] pattern)
      throws IOException {
    byte[] pixels = new byte[part.count() * part.side() * part.side()];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = pattern.length == 0 ? 0 : pattern[i % pattern.length];
    }
    byte[] labels = new byte[part.labelCount()];
    boolean labelsInRange = true;
    for (int i = 0; i < labels.length; i++) {
      int value = pattern.length == 0 ? 0 : pattern[(i * 7 + 3) % pattern.length] & 0xff;
      labels[i] = (byte) (part.has(0x04) ? value : value % MnistData.CLASSES);
      labelsInRange &= (labels[i] & 0xff) < MnistData.CLASSES;
    }
    byte[] images = IdxFiles.idx(IdxReader.UNSIGNED_BYTE, new int[] {part.count(), part.side(), part.side()},
        pixels);
    write(dir.resolve(imagesName + (part.has(0x20) ? "" : ".gz")), images, part.has(0x08));
    if (!part.has(0x80)) {
      byte[] labelFile = IdxFiles.idx(IdxReader.UNSIGNED_BYTE, new int[] {labels.length}, labels);
      write(dir.resolve(labelsName + (part.has(0x40) ? "" : ".gz")), labelFile, part.has(0x10));
    }
    boolean valid = part.side() == MnistData.ROWS && part.labelCount() == part.count() && labelsInRange
        && !part.has(0x80);
    return valid ? new MnistData(pixels, labels) : null;
  }

  private static void assertOneLineAbout(MnistFormatException e, List<Path> files) {
    String message = e.getMessage();
    assertNotNull(message, "message");
    assertFalse(message.contains("\n") || message.contains("\r"), () -> "one line expected: " + message);
    assertTrue(files.stream().anyMatch(f -> message.startsWith(f + ": ")),
        () -> "message should start with the file: " + message);
    UserText.assertNoJavaNames(message);
  }

  private static boolean isGzip(byte[] content) {
    return content.length >= 2 && content[0] == (byte) 0x1f && content[1] == (byte) 0x8b;
  }

  /** Writes a new file: rewriting one in place costs milliseconds on ext4, which flushes truncated files. */
  private static Path write(Path file, byte[] content, boolean gzip) throws IOException {
    Files.deleteIfExists(file);
    return Files.write(file, gzip ? IdxFiles.gzip(content) : content, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
  }

  /** What an unsigned-byte IDX file of some rank holds. */
  private record Expected(int[] dims, byte[] data) {}

  /** Parses decompressed IDX content by the format's definition; null when it is not a valid file. */
  private static Expected parse(byte[] content, int rank) {
    int header = 4 + 4 * rank;
    if (content.length < header || content[0] != 0 || content[1] != 0
        || content[2] != IdxReader.UNSIGNED_BYTE || content[3] != rank) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(content, 4, 4 * rank);
    int[] dims = new int[rank];
    BigInteger product = BigInteger.ONE;
    for (int i = 0; i < rank; i++) {
      dims[i] = b.getInt();
      if (dims[i] < 0) {
        return null;
      }
      product = product.multiply(BigInteger.valueOf(dims[i]));
    }
    if (!product.equals(BigInteger.valueOf(content.length - header))) {
      return null;
    }
    return new Expected(dims, Arrays.copyOfRange(content, header, content.length));
  }

  /** Reads fuzzer bytes front to back; past the end, every byte is 0. */
  private static final class Cursor {
    private final byte[] data;
    private int at;

    Cursor(byte[] data) {
      this.data = data;
    }

    int next() {
      return at < data.length ? data[at++] & 0xff : 0;
    }

    byte[] bytes(int n) {
      byte[] out = new byte[n];
      for (int i = 0; i < n; i++) {
        out[i] = (byte) next();
      }
      return out;
    }

    byte[] rest(int max) {
      int n = Math.max(0, Math.min(max, data.length - at));
      byte[] out = Arrays.copyOfRange(data, at, at + n);
      at = data.length;
      return out;
    }
  }

  private interface Body {
    void run() throws Exception;
  }

  /**
   * Runs each input on a daemon thread and fails it when it outlasts {@link #MAX_TIME_PER_INPUT} or
   * allocates more than {@link #MAX_ALLOCATION_PER_INPUT} on that thread. A hang is thus an ordinary
   * finding with its input saved; libFuzzer's own {@code -timeout} would end the whole test JVM, and JUnit's
   * {@code @Timeout} applies to the whole fuzzing run as well as to each input (jazzer issue 1060). An input
   * over the allocation bound runs a second time before it fails, because loading and instrumenting
   * classes on first use allocates on the same thread.
   */
  private static final class Worker {
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private Thread thread;
    private ExecutorService executor = newExecutor();

    void run(Body body) throws Exception {
      long allocatedBytes = measure(body);
      if (allocatedBytes > MAX_ALLOCATION_PER_INPUT) {
        allocatedBytes = measure(body);
      }
      long allocatedAgain = allocatedBytes;
      assertTrue(allocatedAgain <= MAX_ALLOCATION_PER_INPUT, () -> allocatedAgain
          + " bytes allocated for one input, at most " + MAX_ALLOCATION_PER_INPUT + " expected");
    }

    private long measure(Body body) throws Exception {
      Future<Long> result = executor.submit(() -> {
        long before = allocated();
        body.run();
        return allocated() - before;
      });
      try {
        return result.get(MAX_TIME_PER_INPUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        AssertionError hang = new AssertionError(
            "input still running after " + MAX_TIME_PER_INPUT.toSeconds() + " s (a hang)");
        Throwable where = new Throwable("where the input thread is");
        where.setStackTrace(thread.getStackTrace());
        hang.initCause(where);
        executor.shutdownNow(); // the stuck thread is abandoned; later inputs get a fresh one
        executor = newExecutor();
        throw hang;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Exception cause) {
          throw cause;
        }
        throw (Error) e.getCause();
      }
    }

    private static long allocated() {
      return THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled()
          ? THREADS.getCurrentThreadAllocatedBytes() : 0;
    }

    private ExecutorService newExecutor() {
      return Executors.newSingleThreadExecutor(task -> {
        thread = new Thread(task, "idx-fuzz-input");
        thread.setDaemon(true);
        return thread;
      });
    }
  }
}
