package io.mnisttf.data;

import static io.mnisttf.data.IdxFiles.gzip;
import static io.mnisttf.data.IdxFiles.idx;
import static io.mnisttf.data.IdxFiles.images;
import static io.mnisttf.data.IdxFiles.labels;
import static io.mnisttf.data.IdxFiles.mnistFolder;
import static io.mnisttf.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {
  @TempDir Path dir;

  @Test
  void bundledDataMatchesItsChecksumsAndLoads() throws Exception {
    Path data = Mnist.DEFAULT_DIR;
    for (String line : Files.readAllLines(data.resolve("SHA256SUMS"))) {
      String[] parts = line.trim().split("\\s+");
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(data.resolve(parts[1])));
      assertEquals(parts[0], HexFormat.of().formatHex(digest), parts[1]);
    }
    Mnist mnist = Mnist.load(data);
    assertEquals(60_000, mnist.train().size());
    assertEquals(10_000, mnist.test().size());
    assertEquals(60_000 * 784, mnist.train().pixels().length);
    assertEquals(5, mnist.train().label(0)); // the first MNIST training digit is a 5
    assertEquals(7, mnist.test().label(0)); // the first test digit is a 7
  }

  @Test
  void loadsAValidFolderAndPlainFilesWithoutGzSuffix() throws IOException {
    mnistFolder(dir, 30, 20);
    Files.delete(dir.resolve(Mnist.TEST_LABELS + ".gz"));
    write(dir.resolve(Mnist.TEST_LABELS), labels(20));
    Mnist mnist = Mnist.load(dir);
    assertEquals(30, mnist.train().size());
    assertEquals(20, mnist.test().size());
    assertEquals(3, mnist.test().label(13));
  }

  @Test
  void missingFolder() {
    Path missing = dir.resolve("nowhere");
    var e = assertThrows(MnistFormatException.class, () -> Mnist.load(missing));
    assertEquals(missing + ": no such directory (the MNIST data folder expected)", e.getMessage());
  }

  @Test
  void missingFileIsNamed() throws IOException {
    mnistFolder(dir, 10, 10);
    Files.delete(dir.resolve(Mnist.TRAIN_LABELS + ".gz"));
    var e = assertThrows(MnistFormatException.class, () -> Mnist.load(dir));
    assertEquals(dir.resolve(Mnist.TRAIN_LABELS + ".gz") + ": no such file", e.getMessage());
  }

  @Test
  void countMismatchNamesTheLabelFile() throws IOException {
    mnistFolder(dir, 10, 10);
    write(dir.resolve(Mnist.TEST_LABELS + ".gz"), gzip(labels(9)));
    var e = assertThrows(MnistFormatException.class, () -> Mnist.load(dir));
    assertEquals(dir.resolve(Mnist.TEST_LABELS + ".gz")
        + ": 9 labels for 10 images in t10k-images-idx3-ubyte.gz (the counts must match)", e.getMessage());
  }

  @Test
  void labelOutsideZeroToNine() throws IOException {
    mnistFolder(dir, 10, 10);
    byte[] bad = new byte[10];
    bad[7] = 12;
    write(dir.resolve(Mnist.TRAIN_LABELS + ".gz"), gzip(idx(0x08, new int[] {10}, bad)));
    var e = assertThrows(MnistFormatException.class, () -> Mnist.load(dir));
    assertTrue(e.getMessage().endsWith("train-labels-idx1-ubyte.gz: label 12 at index 7 (0-9 expected)"),
        e.getMessage());
  }

  @Test
  void imagesThatAreNot28By28() throws IOException {
    mnistFolder(dir, 10, 10);
    write(dir.resolve(Mnist.TRAIN_IMAGES + ".gz"), gzip(images(10, 32, 32)));
    var e = assertThrows(MnistFormatException.class, () -> Mnist.load(dir));
    assertTrue(e.getMessage().endsWith("images of 28x28 pixels expected, found 32x32"), e.getMessage());
  }

  @Test
  void trainingProblemsAreReportedBeforeTestProblems() throws IOException {
    mnistFolder(dir, 10, 10);
    for (String name : List.of(Mnist.TRAIN_IMAGES, Mnist.TEST_IMAGES)) {
      write(dir.resolve(name + ".gz"), "garbage".getBytes());
    }
    var e = assertThrows(MnistFormatException.class, () -> Mnist.load(dir));
    assertTrue(e.getMessage().contains(Mnist.TRAIN_IMAGES), e.getMessage());
  }
}
