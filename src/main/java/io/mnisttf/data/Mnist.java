package io.mnisttf.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The MNIST training and test sets, loaded from a folder holding the four IDX files
 * ({@code train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz}, {@code t10k-images-idx3-ubyte.gz},
 * {@code t10k-labels-idx1-ubyte.gz}; each may also be present uncompressed, without {@code .gz}).
 *
 * @param train the 60 000 training examples (before the validation split)
 * @param test the 10 000 test examples
 */
public record Mnist(MnistData train, MnistData test) {
  /** The bundled copy, relative to the working directory. */
  public static final Path DEFAULT_DIR = Path.of("data", "mnist");

  public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
  public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
  public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

  /**
   * Loads and validates all four files. The test part is decompressed on a second thread while this one
   * reads the training part; problems are reported training files first.
   */
  public static Mnist load(Path dir) throws MnistFormatException {
    requireDirectory(dir);
    CompletableFuture<MnistData> test = new CompletableFuture<>();
    Thread testReader = new Thread(() -> {
      try {
        test.complete(loadPart(dir, TEST_IMAGES, TEST_LABELS));
      } catch (MnistFormatException | RuntimeException | Error e) {
        test.completeExceptionally(e);
      }
    }, "mnist-test-reader");
    testReader.setDaemon(true);
    testReader.start();
    MnistData train = loadPart(dir, TRAIN_IMAGES, TRAIN_LABELS);
    return new Mnist(train, join(test));
  }

  /** Loads only the test set (for evaluating a model). */
  public static MnistData loadTest(Path dir) throws MnistFormatException {
    requireDirectory(dir);
    return loadPart(dir, TEST_IMAGES, TEST_LABELS);
  }

  /** Loads only the training set (for calibration samples). */
  public static MnistData loadTrain(Path dir) throws MnistFormatException {
    requireDirectory(dir);
    return loadPart(dir, TRAIN_IMAGES, TRAIN_LABELS);
  }

  private static void requireDirectory(Path dir) throws MnistFormatException {
    if (!Files.isDirectory(dir)) {
      throw new MnistFormatException(dir, Files.exists(dir) ? "not a directory (the MNIST data folder expected)"
          : "no such directory (the MNIST data folder expected)");
    }
  }

  private static MnistData join(CompletableFuture<MnistData> future) throws MnistFormatException {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof MnistFormatException format) {
        throw format;
      }
      throw e;
    }
  }

  /** Reads one images/labels pair and checks that they belong together. */
  static MnistData loadPart(Path dir, String imagesName, String labelsName) throws MnistFormatException {
    Path imagesFile = resolve(dir, imagesName);
    Path labelsFile = resolve(dir, labelsName);
    IdxReader.IdxArray images = IdxReader.read(imagesFile, 3, "image");
    if (images.dims()[1] != MnistData.ROWS || images.dims()[2] != MnistData.COLS) {
      throw new MnistFormatException(imagesFile, String.format(Locale.ROOT,
          "images of %dx%d pixels expected, found %dx%d",
          MnistData.ROWS, MnistData.COLS, images.dims()[1], images.dims()[2]));
    }
    IdxReader.IdxArray labels = IdxReader.read(labelsFile, 1, "label");
    if (labels.count() != images.count()) {
      throw new MnistFormatException(labelsFile, String.format(Locale.ROOT,
          "%d labels for %d images in %s (the counts must match)",
          labels.count(), images.count(), imagesFile.getFileName()));
    }
    byte[] classes = labels.data();
    for (int i = 0; i < classes.length; i++) {
      int label = classes[i] & 0xff;
      if (label >= MnistData.CLASSES) {
        throw new MnistFormatException(labelsFile, String.format(Locale.ROOT,
            "label %d at index %d (0-9 expected)", label, i));
      }
    }
    return new MnistData(images.data(), classes);
  }

  /**
   * The four files {@link #load} reads from {@code dir}, training images and labels then test images and labels
   * (each the gzip file when present, else the uncompressed one).
   */
  public static java.util.List<Path> files(Path dir) {
    return java.util.List.of(resolve(dir, TRAIN_IMAGES), resolve(dir, TRAIN_LABELS), resolve(dir, TEST_IMAGES),
        resolve(dir, TEST_LABELS));
  }

  /** The gzip file when present, else the uncompressed one, else the gzip name (reported as missing). */
  static Path resolve(Path dir, String baseName) {
    Path gz = dir.resolve(baseName + ".gz");
    Path plain = dir.resolve(baseName);
    return !Files.exists(gz) && Files.exists(plain) ? plain : gz;
  }
}
