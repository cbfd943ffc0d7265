package io.mnisttf.predict;

import io.mnisttf.data.MnistData;
import io.mnisttf.util.FileProblemException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A user's labelled digit images, read from a folder in the convention of torchvision's {@code ImageFolder} and
 * Keras' {@code image_dataset_from_directory}: {@code DIR/0/*.png} ... {@code DIR/9/*.png}, the sub-folder's name
 * being the label. Each image is converted by {@link DigitImage#load}, exactly as {@code predict} converts one.
 *
 * <p>Strict, so that a score is never computed on something other than what the user meant: every sub-folder of
 * {@code DIR} must be named {@code 0} to {@code 9}; every file in those (hidden ones, starting with a dot, aside)
 * must be a PNG or JPEG showing a digit; at least one image must be found. Files directly in {@code DIR} are not
 * images of any class and are left alone. Images are in order of their digit, then of their file name.
 *
 * @param folder the folder that was read
 * @param images the converted images, in order
 * @param labels each image's digit
 */
public record LabelledDigits(Path folder, List<DigitImage> images, int[] labels) {
  public LabelledDigits {
    Objects.requireNonNull(folder, "folder");
    images = List.copyOf(images);
    labels = labels.clone();
    if (images.size() != labels.length) {
      throw new IllegalArgumentException(images.size() + " images but " + labels.length + " labels");
    }
  }

  /** Each image's digit (a copy). */
  @Override
  public int[] labels() {
    return labels.clone();
  }

  /** Number of images. */
  public int size() {
    return images.size();
  }

  /** All images' pixels, image after image, 784 values in [0,1] each (as {@link DigitImage#pixels}). */
  public float[] pixels() {
    float[] all = new float[images.size() * MnistData.PIXELS];
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(images.get(i).pixels(), 0, all, i * MnistData.PIXELS, MnistData.PIXELS);
    }
    return all;
  }

  /**
   * Reads and converts every image under {@code folder}.
   *
   * @throws FileProblemException (one line naming the folder or file) when the folder is missing or not a folder,
   *     holds a sub-folder not named after a digit or no digit sub-folder with images, or an image cannot be used
   *     ({@link DigitImageException})
   */
  public static LabelledDigits load(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new FileProblemException(folder, Files.exists(folder)
          ? "not a folder (a folder with sub-folders 0 to 9 of digit images expected)" : "no such folder");
    }
    List<DigitImage> images = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (Path digitFolder : sorted(folder)) {
      if (!Files.isDirectory(digitFolder)) {
        continue;
      }
      int digit = digitOf(digitFolder);
      for (Path file : sorted(digitFolder)) {
        if (Files.isDirectory(file)) {
          throw new FileProblemException(file, "a folder inside a digit folder (only images expected there)");
        }
        images.add(DigitImage.load(file));
        labels.add(digit);
      }
    }
    if (images.isEmpty()) {
      throw new FileProblemException(folder,
          "no digit images (expected sub-folders 0 to 9 holding PNG or JPEG images: 0/*.png ... 9/*.png)");
    }
    return new LabelledDigits(folder, images, labels.stream().mapToInt(Integer::intValue).toArray());
  }

  private static int digitOf(Path digitFolder) throws FileProblemException {
    String name = digitFolder.getFileName().toString();
    if (name.length() != 1 || name.charAt(0) < '0' || name.charAt(0) > '9') {
      throw new FileProblemException(digitFolder,
          "not a digit folder (each sub-folder must be named 0 to 9, after the digit its images show)");
    }
    return name.charAt(0) - '0';
  }

  /** The entries of {@code dir} that are not hidden, by name. */
  private static List<Path> sorted(Path dir) throws IOException {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        if (!p.getFileName().toString().startsWith(".")) {
          entries.add(p);
        }
      }
    }
    entries.sort(Comparator.comparing(p -> p.getFileName().toString()));
    return entries;
  }
}
