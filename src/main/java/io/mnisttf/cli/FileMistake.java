package io.mnisttf.cli;

import io.mnisttf.savedmodel.Evaluation;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One of the user's images ({@code evaluate --images}) that the model got wrong: which file, its digit, the class
 * the model chose and the probability it gave it.
 */
record FileMistake(String file, int label, int predicted, float probability) {
  /** How many mistakes the text output names (the JSON line names them all). */
  static final int SHOWN = 10;

  /** The wrong predictions on the user's images, most confident first; none for the test set. */
  static List<FileMistake> of(EvaluationSet set, Evaluation e) {
    List<FileMistake> mistakes = new ArrayList<>();
    if (set.digits() == null) {
      return mistakes;
    }
    float[] confidence = e.confidence();
    for (int i = 0; i < e.examples(); i++) {
      if (e.predicted()[i] != e.labels()[i]) {
        mistakes.add(new FileMistake(set.file(i).toString(), e.labels()[i], e.predicted()[i], confidence[i]));
      }
    }
    mistakes.sort(Comparator.comparingDouble((FileMistake m) -> -m.probability()));
    return mistakes;
  }

  /** Names the {@value #SHOWN} most confident mistakes, one a line, and how many more there are. */
  static void print(PrintWriter log, List<FileMistake> mistakes) {
    if (mistakes.isEmpty()) {
      return;
    }
    log.println("Most confident mistakes:");
    for (FileMistake m : mistakes.subList(0, Math.min(SHOWN, mistakes.size()))) {
      log.printf(Locale.ROOT, "  %s: %d read as %d (%.2f)%n", m.file(), m.label(), m.predicted(), m.probability());
    }
    if (mistakes.size() > SHOWN) {
      log.printf(Locale.ROOT, "  ... and %d more%n", mistakes.size() - SHOWN);
    }
    log.flush();
  }
}
