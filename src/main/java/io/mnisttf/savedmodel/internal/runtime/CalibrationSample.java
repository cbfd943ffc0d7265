package io.mnisttf.savedmodel.internal.runtime;

import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import io.mnisttf.data.MnistFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Map;

/**
 * The calibration sample that ships inside the jar, so that a model not made by us can be calibrated from any
 * folder: {@value #SIZE} MNIST training images and their labels, image {@code i * 60} of the bundled
 * {@code data/mnist} training set for {@code i = 0..999} (the images {@link Calibrator#sample} picks from the
 * full training set, so calibrating on it decides as calibrating on {@code data/mnist} does). It is stored as
 * the two gzip IDX training files (162 KB) and read with the same reader as {@code data/mnist}.
 */
public final class CalibrationSample {
  /** Images in the sample. */
  public static final int SIZE = 1000;
  /** Where the two IDX files are, on the class path. */
  public static final String RESOURCE = "/io/mnisttf/savedmodel/calibration-sample/" + Mnist.TRAIN_IMAGES + ".gz";

  private static MnistData cached;

  private CalibrationSample() {}

  /** The bundled sample, read once per JVM. */
  public static synchronized MnistData load() {
    if (cached == null) {
      try {
        cached = read();
      } catch (IOException e) {
        throw new UncheckedIOException("the calibration sample bundled in the jar cannot be read", e);
      }
    }
    return cached;
  }

  private static MnistData read() throws IOException {
    URL url = CalibrationSample.class.getResource(RESOURCE);
    if (url == null) {
      throw new MnistFormatException(Path.of(RESOURCE), "missing from the class path");
    }
    URI uri;
    try {
      uri = url.toURI();
    } catch (URISyntaxException e) {
      throw new IOException(url + ": " + e.getMessage(), e);
    }
    if (!"jar".equals(uri.getScheme())) {
      return Mnist.loadTrain(Path.of(uri).getParent());
    }
    FileSystem jar;
    boolean opened = false;
    try {
      jar = FileSystems.newFileSystem(uri, Map.of());
      opened = true;
    } catch (FileSystemAlreadyExistsException e) {
      jar = FileSystems.getFileSystem(uri);
    }
    try {
      return Mnist.loadTrain(jar.provider().getPath(uri).getParent());
    } finally {
      if (opened) {
        jar.close();
      }
    }
  }
}
