package io.mnisttf.cli.bench;

import io.mnisttf.data.Mnist;
import io.mnisttf.data.MnistData;
import io.mnisttf.plots.PngFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test digits written as dark-on-light PNGs, as a user's own images for the benchmark's {@code predict} runs. */
final class DigitPngs {
  private DigitPngs() {}

  /** Writes the first {@code count} test digits of {@code dataDir} into {@code dir}; returns the files. */
  static List<String> write(Path dataDir, Path dir, int count) throws IOException {
    MnistData test = Mnist.loadTest(dataDir).first(count);
    Files.createDirectories(dir);
    List<String> files = new ArrayList<>();
    for (int i = 0; i < test.size(); i++) {
      BufferedImage image = new BufferedImage(MnistData.COLS, MnistData.ROWS, BufferedImage.TYPE_BYTE_GRAY);
      for (int p = 0; p < MnistData.PIXELS; p++) {
        int ink = test.pixels()[i * MnistData.PIXELS + p] & 0xff;
        int gray = 255 - ink;
        image.setRGB(p % MnistData.COLS, p / MnistData.COLS, 0xff000000 | gray << 16 | gray << 8 | gray);
      }
      Path file = dir.resolve("digit-" + i + "-label-" + test.label(i) + ".png");
      PngFiles.write(image, file);
      files.add(file.toString());
    }
    return files;
  }
}
