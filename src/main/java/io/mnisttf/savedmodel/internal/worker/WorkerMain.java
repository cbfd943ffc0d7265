package io.mnisttf.savedmodel.internal.worker;

import io.mnisttf.data.MnistData;
import io.mnisttf.runtime.JavaCppSettings;
import io.mnisttf.runtime.RegisteredOps;
import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.internal.runtime.InProcessClassifier;
import io.mnisttf.util.Problems;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The model worker process: {@code java -cp <the tool's class path> io.mnisttf.savedmodel.internal.worker.WorkerMain}. It loads
 * and runs one untrusted SavedModel for its parent ({@link WorkerClassifier}), answering the requests of
 * {@link Frame} on its standard streams, so that a native abort, a stack overflow or a runaway allocation
 * inside TensorFlow ends this process and not the user's.
 *
 * <p>Standard output carries only frames ({@code System.out} is sent to standard error); standard error is
 * TensorFlow's log, which the parent captures. The worker ends when its parent closes the pipe, sends
 * {@code CLOSE}, or exits (a watch on the parent process halts it, even in the middle of a model call).
 */
public final class WorkerMain {
  /** Exit code when the request stream breaks. */
  public static final int EXIT_PROTOCOL = 5;
  /** Exit code when the parent process is gone. */
  public static final int EXIT_ORPHANED = 6;

  private InProcessClassifier classifier;
  /** The model folder of the OPEN request, named in failures that are not the model's own errors. */
  private String model = "model";
  private float[] pixels = new float[0];
  /** The serving frames (any signature, named tensors): {@link ServingHandler}. */
  private final ServingHandler serving = new ServingHandler();

  private WorkerMain() {}

  public static void main(String[] args) {
    JavaCppSettings.apply(); // before any TensorFlow class loads
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out),
        1 << 16));
    System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
    ProcessHandle.current().parent().ifPresent(parent ->
        parent.onExit().thenRun(() -> Runtime.getRuntime().halt(EXIT_ORPHANED)));
    // TensorFlow's library and its op list (about 1 s) load on a second thread, while the first request is
    // awaited and while the model's files are read and checked: the check waits for the op list only when it
    // needs it.
    RegisteredOps.preloadInBackground();
    DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in),
        1 << 16));
    int code = new WorkerMain().serve(in, out);
    System.exit(code);
  }

  /** Answers requests until {@code CLOSE} (exit 0) or the end of the stream. */
  private int serve(DataInputStream in, DataOutputStream out) {
    try {
      Messages.frame(Frame.Type.HELLO, new Messages.Hello(Frame.VERSION, ProcessHandle.current().pid())).write(out);
      while (true) {
        Frame request = Frame.read(in);
        if (request.type() == Frame.Type.CLOSE) {
          closeModel();
          Frame.of(Frame.Type.CLOSED).write(out);
          return 0;
        }
        Frame reply;
        try {
          reply = answer(request);
        } catch (Frame.ProtocolException e) {
          throw e;
        } catch (SavedModelException e) {
          reply = Messages.frame(Frame.Type.ERROR, Messages.Failure.of(e));
        } catch (IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
          reply = Messages.frame(Frame.Type.ERROR, new Messages.Failure(SavedModelException.Kind.WORKER_FAILED.name(),
              model, oneLine(e)));
        }
        reply.write(out);
      }
    } catch (EOFException parentClosed) {
      return 0;
    } catch (IOException e) {
      System.err.println("model worker: " + e.getMessage());
      return EXIT_PROTOCOL;
    } finally {
      closeModel();
    }
  }

  private Frame answer(Frame request) throws IOException {
    if (ServingHandler.handles(request.type())) {
      return serving.answer(request);
    }
    switch (request.type()) {
      case OPEN -> {
        if (classifier != null) {
          throw new Frame.ProtocolException("OPEN while a model is open");
        }
        Messages.Open open = Messages.parse(request, Messages.Open.class);
        model = open.model();
        classifier = InProcessClassifier.open(Path.of(open.model()), open.options());
        return Messages.frame(Frame.Type.OPENED, new Messages.Opened(classifier.description(),
            classifier.batchSize()));
      }
      case RUN, RUN_LEVELS -> {
        requireOpen(request);
        int count = request.count();
        if (count < 1 || count > Frame.MAX_PAYLOAD / (4 * MnistData.PIXELS)) {
          throw new Frame.ProtocolException("RUN of " + count + " images");
        }
        if (pixels.length < count * MnistData.PIXELS) {
          pixels = new float[count * MnistData.PIXELS];
        }
        PixelCodec.read(request, count, pixels);
        float[] probabilities = new float[count * MnistData.CLASSES];
        float[] logProbabilities = new float[count * MnistData.CLASSES];
        classifier.classify(pixels, count, probabilities, logProbabilities);
        return Frame.floats(Frame.Type.RESULT, count, probabilities, logProbabilities);
      }
      default -> throw new Frame.ProtocolException("unexpected request " + request.type());
    }
  }

  private void requireOpen(Frame request) throws Frame.ProtocolException {
    if (classifier == null) {
      throw new Frame.ProtocolException(request.type() + " before OPEN");
    }
  }

  private void closeModel() {
    serving.close();
    if (classifier != null) {
      classifier.close();
      classifier = null;
    }
  }

  /** One line for the user: what went wrong ({@link Problems#describe}), never a Java class name. */
  public static String oneLine(Throwable e) {
    String line = Problems.describe(e);
    return e instanceof OutOfMemoryError ? "the model ran out of Java heap (" + line + ")" : line;
  }
}
