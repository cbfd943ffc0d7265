package io.mnisttf.savedmodel;

import io.mnisttf.savedmodel.internal.runtime.InProcessClassifier;
import io.mnisttf.savedmodel.internal.worker.WorkerClassifier;
import java.nio.file.Path;

/**
 * Opens SavedModels as MNIST digit classifiers: the library's one entry to use a model, ours or a stranger's.
 *
 * <pre>{@code
 * try (Classifier classifier = Classifiers.open(Path.of("saved-models/mnist"))) { // its highest version
 *   Classification seven = classifier.classify(Path.of("seven.png"));
 *   System.out.println(seven.digit() + " " + seven.probability());
 * }
 * }</pre>
 *
 * <p>Opening checks the model before anything of it runs (its files, its ops against the tool's deny list, its
 * constants, functions and checkpoint, the signature that can take MNIST images), loads it (which runs its restore
 * and init ops) and, unless it carries our export contract, calibrates its pixel scale and output kind on 1 000
 * training images bundled in the jar. By default all of that, and every later call, happens in a worker process
 * ({@link ClassifierOptions.Isolation#WORKER}): whatever the model does inside TensorFlow (abort, crash, hang,
 * allocate without end), the caller gets one {@link SavedModelException} and the worker is stopped.
 */
public final class Classifiers {
  private Classifiers() {}

  /** Opens {@code model} (a SavedModel folder, or a TF Serving base folder: the version Serving serves) with the defaults. */
  public static Classifier open(Path model) throws SavedModelException {
    return open(model, ClassifierOptions.DEFAULTS);
  }

  /**
   * Opens {@code model} (a SavedModel folder, or a TF Serving base folder: the version Serving serves).
   *
   * @throws SavedModelException when the model cannot be used, with its kind and one line naming the model or file
   */
  public static Classifier open(Path model, ClassifierOptions options) throws SavedModelException {
    return options.isolation() == ClassifierOptions.Isolation.IN_PROCESS ? InProcessClassifier.open(model, options)
        : WorkerClassifier.open(model, options);
  }

  /**
   * Starts a worker process ahead of need (its JVM and TensorFlow take about a second to start), for the next
   * {@link #open} with worker isolation to use: a command-line tool calls it first thing. Only this library's code
   * runs in it until then; it ends with this process.
   */
  public static void prestart() {
    WorkerClassifier.prestart();
  }
}
