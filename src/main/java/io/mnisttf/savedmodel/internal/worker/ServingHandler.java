package io.mnisttf.savedmodel.internal.worker;

import java.nio.file.Path;
import java.util.Map;

/**
 * Answers the serving frames in the worker process ({@link WorkerMain} hands them here): {@code SERVE_OPEN}
 * checks and loads a model version ({@link ServingSession}), {@code SERVE_RUN} runs one of its signatures. Every
 * request gets its reply with a status: refusals and TensorFlow's errors are statuses, so the worker lives on.
 */
final class ServingHandler implements AutoCloseable {
  private static final int INTERNAL = 13;

  private ServingSession session;

  /** Whether this handler answers frames of {@code type}. */
  static boolean handles(Frame.Type type) {
    return type == Frame.Type.SERVE_OPEN || type == Frame.Type.SERVE_RUN;
  }

  Frame answer(Frame request) throws Frame.ProtocolException {
    if (request.type() == Frame.Type.SERVE_OPEN) {
      if (session != null) {
        throw new Frame.ProtocolException("SERVE_OPEN while a model is open");
      }
      ServingFrames.Open open = Messages.parse(request, ServingFrames.Open.class);
      if (open.model() == null) {
        throw new Frame.ProtocolException("SERVE_OPEN without a model");
      }
      try {
        session = ServingSession.open(Path.of(open.model()), open.allowUnsafeOps());
        return ServingFrames.opened(0, "", session.signatureDefs());
      } catch (ModelCallException e) {
        return ServingFrames.opened(e.code(), e.getMessage(), new byte[0]);
      } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
        return ServingFrames.opened(INTERNAL, open.model() + ": " + WorkerMain.oneLine(e), new byte[0]);
      }
    }
    if (request.type() == Frame.Type.SERVE_RUN) {
      if (session == null) {
        throw new Frame.ProtocolException("SERVE_RUN before SERVE_OPEN");
      }
      ServingFrames.Run run = ServingFrames.readRun(request);
      try {
        Map<String, WireTensor> outputs = session.run(run.signature(), run.inputs());
        long bytes = ServingFrames.size(outputs);
        if (bytes > Frame.MAX_PAYLOAD - 65536) {
          return ServingFrames.result(ServingSession.RESOURCE_EXHAUSTED, "the outputs of signature '"
              + run.signature() + "' take " + bytes + " bytes, more than the " + Frame.MAX_PAYLOAD
              + " bytes a reply may carry", null);
        }
        return ServingFrames.result(0, "", outputs);
      } catch (ModelCallException e) {
        return ServingFrames.result(e.code(), e.getMessage(), null);
      } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
        return ServingFrames.result(INTERNAL, WorkerMain.oneLine(e), null);
      }
    }
    throw new Frame.ProtocolException("unexpected request " + request.type());
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
      session = null;
    }
  }
}
