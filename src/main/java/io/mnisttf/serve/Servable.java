package io.mnisttf.serve;

import io.mnisttf.savedmodel.internal.worker.WireTensor;
import java.util.Map;
import org.tensorflow.proto.SignatureDef;

/**
 * One loaded version of a model, as the REST API uses it: its signature defs, and a call of any signature with
 * named tensors that returns every output of the signature. The server's own implementation runs the model in
 * worker processes ({@link WorkerServable}); tests give the HTTP side fakes that need no TensorFlow.
 * Implementations are thread-safe.
 */
public interface Servable extends AutoCloseable {
  /** The model's signature defs by key (as its MetaGraphDef tagged {@code serve} holds them). */
  Map<String, SignatureDef> signatures();

  /**
   * Runs signature {@code signature} with exactly its inputs, by key.
   *
   * @return every output of the signature, by key
   * @throws ServingException with TensorFlow's status code: the inputs do not fit ({@code INVALID_ARGUMENT}), the
   *     model failed, the call took too long ({@code DEADLINE_EXCEEDED}) or its worker died ({@code INTERNAL})
   */
  Map<String, WireTensor> run(String signature, Map<String, WireTensor> inputs) throws ServingException;

  /** Releases the version (its worker processes); later calls fail. Idempotent. */
  @Override
  void close();
}
