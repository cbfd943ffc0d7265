package io.mnisttf.cli;

import static io.mnisttf.data.IdxFiles.gzip;
import static io.mnisttf.data.IdxFiles.idx;
import static io.mnisttf.data.IdxFiles.images;
import static io.mnisttf.data.IdxFiles.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.data.IdxFiles;
import io.mnisttf.data.Mnist;
import io.mnisttf.testing.UserText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every broken-data case, for each of the four files, through the real command line: one line
 * {@code error: <file>: <problem>} without Java class names, exit 1, no stack trace, nothing printed on standard
 * output (the data is reported loaded before anything else happens, so no training step ran), and nothing
 * written under the export, run or checkpoint folders.
 */
class BrokenDataMatrixTest {
  private static final int TRAIN = 200;
  private static final int TEST = 100;

  @TempDir Path tmp;

  /** A broken replacement for one file: given the file's item count, its bytes; plus the expected words. */
  record Case(String name, boolean images, boolean labels, IntFunction<byte[]> content, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("missing file", true, true, n -> null, "no such file"));
    cases.add(new Case("empty file", true, true, n -> new byte[0], "empty file"));
    cases.add(new Case("not compressed data", true, true, n -> "this is not MNIST, not even gzip".getBytes(),
        "not an IDX"));
    cases.add(new Case("truncated gzip stream", true, true, n -> null, "truncated gzip stream"));
    cases.add(new Case("wrong magic", true, true, n -> gzip(idx(0x08, new int[] {n, 7}, new byte[n * 7])),
        "magic 0x0000080"));
    cases.add(new Case("images file in place of labels", false, true, n -> gzip(images(n, 28, 28)),
        "not an IDX label file (magic 0x00000801 expected, found 0x00000803"));
    cases.add(new Case("labels file in place of images", true, false, n -> gzip(labels(n)),
        "not an IDX image file (magic 0x00000803 expected, found 0x00000801"));
    cases.add(new Case("too few bytes (images)", true, false, n -> {
      byte[] raw = images(n, 28, 28);
      return gzip(Arrays.copyOf(raw, raw.length - 100));
    }, "bytes expected for " + "%n images of 28x28, found"));
    cases.add(new Case("too few bytes (labels)", false, true, n -> {
      byte[] raw = labels(n);
      return gzip(Arrays.copyOf(raw, raw.length - 3));
    }, "bytes expected for %n labels, found"));
    cases.add(new Case("too many bytes", true, true, n -> null, "found more"));
    cases.add(new Case("count mismatch (images)", true, false, n -> gzip(images(n + 1, 28, 28)), "labels for"));
    cases.add(new Case("count mismatch (labels)", false, true, n -> gzip(labels(n - 1)), "labels for %n images"));
    cases.add(new Case("label outside 0-9", false, true, n -> {
      byte[] data = new byte[n];
      data[n / 2] = 10;
      return gzip(idx(0x08, new int[] {n}, data));
    }, "label 10 at index"));
    cases.add(new Case("not 28x28", true, false, n -> gzip(images(n, 28, 27)),
        "images of 28x28 pixels expected, found 28x27"));
    cases.add(new Case("2^31-1 items on a small file", true, true, n -> null, "2147483647"));
    cases.add(new Case("negative count", true, true, n -> null, "negative dimension -1"));
    cases.add(new Case("element type other than unsigned byte", true, true, n -> null,
        "element type 0x0d (float) found, unsigned byte (0x08) expected"));
    cases.add(new Case("stream inflating far beyond its header", true, true, n -> null, "found more"));
    return cases;
  }

  /** Cases whose content depends on whether the file holds images or labels. */
  private static byte[] content(Case c, boolean isImages, int n) throws IOException {
    int[] itemDims = isImages ? new int[] {28, 28} : new int[0];
    int itemSize = isImages ? 784 : 1;
    switch (c.name()) {
      case "truncated gzip stream": {
        byte[] gz = gzip(isImages ? images(n, 28, 28) : labels(n * 50));
        return Arrays.copyOf(gz, gz.length / 2);
      }
      case "too many bytes": {
        byte[] raw = isImages ? images(n, 28, 28) : labels(n);
        return gzip(Arrays.copyOf(raw, raw.length + 5));
      }
      case "2^31-1 items on a small file":
        return gzip(idx(0x08, dims(Integer.MAX_VALUE, itemDims), new byte[n * itemSize]));
      case "negative count":
        return gzip(idx(0x08, dims(-1, itemDims), new byte[0]));
      case "element type other than unsigned byte":
        return gzip(idx(0x0D, dims(n, itemDims), new byte[n * itemSize * 4]));
      case "stream inflating far beyond its header": {
        // 32 MB, over 200 times what any header here declares: compressing more costs the suite time and
        // proves no more (IdxReaderTest checks with a 200 MB bomb that the reader stops at the declared length).
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
          out.write(idx(0x08, dims(n, itemDims), new byte[0]));
          byte[] zeros = new byte[1 << 20];
          for (int i = 0; i < 32; i++) {
            out.write(zeros);
          }
        }
        return bytes.toByteArray();
      }
      default:
        return c.content().apply(n);
    }
  }

  private static int[] dims(int count, int[] itemDims) {
    int[] dims = new int[itemDims.length + 1];
    dims[0] = count;
    System.arraycopy(itemDims, 0, dims, 1, itemDims.length);
    return dims;
  }

  static Stream<Arguments> matrix() {
    List<Arguments> all = new ArrayList<>();
    for (String file : List.of(Mnist.TRAIN_IMAGES, Mnist.TRAIN_LABELS, Mnist.TEST_IMAGES, Mnist.TEST_LABELS)) {
      boolean isImages = file.contains("images");
      for (Case c : cases()) {
        if (isImages ? c.images() : c.labels()) {
          all.add(Arguments.of(file, c));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("matrix")
  void failsWithOneLineNamingTheFileAndWritesNothing(String file, Case broken) throws IOException {
    Path data = IdxFiles.mnistFolder(tmp.resolve("data"), TRAIN, TEST);
    Path target = data.resolve(file + ".gz");
    int n = file.startsWith("train") ? TRAIN : TEST;
    byte[] bytes = content(broken, file.contains("images"), n);
    if (bytes == null) {
      Files.delete(target);
    } else {
      Files.write(target, bytes);
    }
    Path exports = tmp.resolve("exports");
    Path runs = tmp.resolve("runs");
    Path checkpoints = tmp.resolve("checkpoints");
    CliRun run = CliRun.of("train", "--data", data.toString(), "--export-dir", exports.toString(), "--runs-dir",
        runs.toString(), "--checkpoint-dir", checkpoints.toString());

    assertEquals(1, run.exitCode(), run.toString());
    assertEquals(1, run.errLines().length, "one line: " + run);
    String line = run.errLines()[0];
    String expected = broken.expected().replace("%n", Integer.toString(n));
    boolean namesTheFile = line.startsWith("error: " + target + ": ");
    boolean namesThePair = broken.name().startsWith("count mismatch") && line.startsWith("error: " + data);
    assertTrue(namesTheFile || namesThePair, line);
    assertTrue(line.contains(expected), "'" + expected + "' in: " + line);
    UserText.assertNoJavaNames(line);
    assertFalse(run.err().contains("\tat "), run.toString());
    assertEquals("", run.out(), "the data was never reported loaded, no epoch ran");
    for (Path written : List.of(exports, runs, checkpoints)) {
      assertFalse(Files.exists(written), written + " must not exist");
    }
  }
}
