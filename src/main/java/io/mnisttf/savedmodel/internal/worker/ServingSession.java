package io.mnisttf.savedmodel.internal.worker;

import io.mnisttf.savedmodel.SavedModelException;
import io.mnisttf.savedmodel.internal.format.SavedModelFile;
import io.mnisttf.savedmodel.internal.format.SavedModelReader;
import io.mnisttf.savedmodel.TensorSpec;
import io.mnisttf.savedmodel.internal.preflight.PreloadReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TFFailedPreconditionException;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.exceptions.TFOutOfRangeException;
import org.tensorflow.exceptions.TFPermissionDeniedException;
import org.tensorflow.exceptions.TFResourceExhaustedException;
import org.tensorflow.exceptions.TFUnauthenticatedException;
import org.tensorflow.exceptions.TFUnimplementedException;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * A SavedModel loaded for serving in the worker process: any signature run with named tensors, as TF Serving
 * runs them. Before anything reaches TensorFlow, each input is checked against the signature and against the
 * loaded graph's own placeholder (dtype, rank and every static dimension): a tensor of the wrong rank fed to a
 * convolution aborts the process inside TensorFlow, and is refused here with a status instead. Not thread-safe.
 */
final class ServingSession implements AutoCloseable {
  static final int INVALID_ARGUMENT = 3;
  static final int NOT_FOUND = 5;
  static final int RESOURCE_EXHAUSTED = 8;
  static final int FAILED_PRECONDITION = 9;
  static final int UNIMPLEMENTED = 12;
  static final int UNKNOWN = 2;

  private final Path dir;
  private final SavedModelBundle bundle;
  private final Map<String, SignatureDef> signatures;

  private ServingSession(Path dir, SavedModelBundle bundle, Map<String, SignatureDef> signatures) {
    this.dir = dir;
    this.bundle = bundle;
    this.signatures = signatures;
  }

  /**
   * Checks ({@link PreloadReport#forServing}) and loads the model of version folder {@code dir}.
   *
   * @throws ModelCallException when there is no model ({@code NOT_FOUND}), the checks refuse it
   *     ({@code INVALID_ARGUMENT}) or TensorFlow fails to load it (TensorFlow's code)
   */
  static ServingSession open(Path dir, boolean allowUnsafeOps) throws ModelCallException {
    if (!Files.isRegularFile(dir.resolve(SavedModelReader.MODEL_FILE))
        && !Files.isRegularFile(dir.resolve(SavedModelReader.MODEL_TEXT_FILE))) {
      throw new ModelCallException(NOT_FOUND, dir + ": no " + SavedModelReader.MODEL_FILE + " (nor "
          + SavedModelReader.MODEL_TEXT_FILE + ") in it");
    }
    MetaGraphDef metaGraph;
    try {
      metaGraph = PreloadReport.forServing(dir, allowUnsafeOps).requireLoadable().metaGraph();
    } catch (SavedModelException e) {
      throw new ModelCallException(INVALID_ARGUMENT, WorkerMain.oneLine(e));
    }
    SavedModelBundle bundle;
    try {
      bundle = SavedModelBundle.loader(dir.toString()).withTags(SavedModelFile.SERVE_TAG).load();
    } catch (RuntimeException e) {
      throw new ModelCallException(code(e), dir + ": TensorFlow could not load the model: " + WorkerMain.oneLine(e));
    }
    return new ServingSession(dir, bundle, new LinkedHashMap<>(metaGraph.getSignatureDefMap()));
  }

  /** The model's signature defs, as a serialized {@code MetaGraphDef} that holds only them. */
  byte[] signatureDefs() {
    return MetaGraphDef.newBuilder().putAllSignatureDef(signatures).build().toByteArray();
  }

  /**
   * Runs signature {@code key} with {@code inputs} and returns every output of the signature, by key.
   *
   * @throws ModelCallException when the inputs do not fit the signature or the graph, a dtype is one TensorFlow
   *     Java cannot make or read, or TensorFlow fails (with TensorFlow's code and message)
   */
  Map<String, WireTensor> run(String key, Map<String, WireTensor> inputs) throws ModelCallException {
    SignatureDef signature = signatures.get(key);
    if (signature == null) {
      throw new ModelCallException(INVALID_ARGUMENT, "Serving signature name: \"" + key
          + "\" not found in signature def");
    }
    checkInputNames(signature, inputs);
    for (Map.Entry<String, WireTensor> in : inputs.entrySet()) {
      checkInput(in.getKey(), signature.getInputsOrThrow(in.getKey()), in.getValue());
    }
    Map<String, TensorInfo> outputs = new TreeMap<>(signature.getOutputsMap());
    for (Map.Entry<String, TensorInfo> out : outputs.entrySet()) {
      checkOutput(out.getKey(), out.getValue());
    }
    List<Tensor> fed = new ArrayList<>();
    try {
      Session.Runner runner = bundle.session().runner();
      for (Map.Entry<String, WireTensor> in : inputs.entrySet()) {
        Tensor t = TensorConversion.toTensor(in.getValue());
        fed.add(t);
        runner.feed(signature.getInputsOrThrow(in.getKey()).getName(), t);
      }
      for (TensorInfo out : outputs.values()) {
        runner.fetch(out.getName());
      }
      try (Result result = runner.run()) {
        Map<String, WireTensor> values = new LinkedHashMap<>();
        int i = 0;
        for (String name : outputs.keySet()) {
          values.put(name, TensorConversion.fromTensor(result.get(i++)));
        }
        return values;
      }
    } catch (RuntimeException e) {
      throw new ModelCallException(code(e), e.getMessage() == null ? WorkerMain.oneLine(e) : e.getMessage());
    } finally {
      fed.forEach(Tensor::close);
    }
  }

  /** TF Serving's check that the request names exactly the signature's inputs. */
  private static void checkInputNames(SignatureDef signature, Map<String, WireTensor> inputs)
      throws ModelCallException {
    TreeSet<String> expected = new TreeSet<>(signature.getInputsMap().keySet());
    TreeSet<String> sent = new TreeSet<>(inputs.keySet());
    if (sent.size() != expected.size()) {
      TreeSet<String> extra = new TreeSet<>(sent);
      extra.removeAll(expected);
      TreeSet<String> missing = new TreeSet<>(expected);
      missing.removeAll(sent);
      throw new ModelCallException(INVALID_ARGUMENT, "input size does not match signature: " + sent.size() + "!="
          + expected.size() + " len({" + String.join(",", sent) + "}) != len({" + String.join(",", expected)
          + "}). Sent extra: {" + String.join(",", extra) + "}. Missing but required: {"
          + String.join(",", missing) + "}.");
    }
    for (String name : sent) {
      if (!expected.contains(name)) {
        throw new ModelCallException(INVALID_ARGUMENT, "input tensor alias not found in signature: " + name
            + ". Inputs expected to be in the set {" + String.join(",", expected) + "}.");
      }
    }
  }

  private void checkInput(String key, TensorInfo info, WireTensor t) throws ModelCallException {
    if (info.getName().isEmpty()) {
      throw new ModelCallException(UNIMPLEMENTED, "input '" + key + "' is a sparse or composite tensor, which"
          + " cannot be fed by name");
    }
    if (t.dtype() != info.getDtype()) {
      throw new ModelCallException(INVALID_ARGUMENT, "input '" + key + "' is " + t.dtype() + "; the signature"
          + " expects " + info.getDtype());
    }
    if (!TensorConversion.supported(t.dtype())) {
      throw new ModelCallException(UNIMPLEMENTED, "input '" + key + "' is " + t.dtype() + ", a type TensorFlow"
          + " Java 1.1.0 has no tensors of");
    }
    long[] fed = t.shape();
    long[] declared = TensorSpec.dims(info.getTensorShape());
    if (declared != null && !fits(fed, declared)) {
      throw new ModelCallException(INVALID_ARGUMENT, "input '" + key + "' has shape " + TensorSpec.shapeText(fed)
          + "; the signature expects " + TensorSpec.shapeText(declared));
    }
    Output<?> graph = graphTensor(key, info);
    if (graph.dataType() != t.dtype()) {
      throw new ModelCallException(INVALID_ARGUMENT, "input '" + key + "' is " + t.dtype() + " but the graph's"
          + " tensor '" + info.getName() + "' is " + graph.dataType());
    }
    if (!graph.shape().isUnknown() && !fits(fed, graph.shape().asArray())) {
      throw new ModelCallException(INVALID_ARGUMENT, "input '" + key + "' has shape " + TensorSpec.shapeText(fed)
          + "; the graph's tensor '" + info.getName() + "' has shape " + TensorSpec.shapeText(graph.shape().asArray()));
    }
  }

  private void checkOutput(String key, TensorInfo info) throws ModelCallException {
    if (info.getName().isEmpty()) {
      throw new ModelCallException(UNIMPLEMENTED, "output '" + key + "' is a sparse or composite tensor, which"
          + " cannot be fetched by name");
    }
    DataType dtype = graphTensor(key, info).dataType();
    if (!TensorConversion.supported(dtype)) {
      throw new ModelCallException(UNIMPLEMENTED, "output '" + key + "' is " + dtype + ", a type TensorFlow"
          + " Java 1.1.0 has no tensors of");
    }
  }

  /** The loaded graph's tensor that signature entry {@code key} names. */
  private Output<?> graphTensor(String key, TensorInfo info) throws ModelCallException {
    String name = info.getName();
    int colon = name.lastIndexOf(':');
    String op = colon < 0 ? name : name.substring(0, colon);
    int index = 0;
    if (colon >= 0) {
      try {
        index = Integer.parseInt(name.substring(colon + 1));
      } catch (NumberFormatException e) {
        index = -1;
      }
    }
    GraphOperation operation = bundle.graph().operation(op);
    if (operation == null || index < 0 || index >= operation.numOutputs()) {
      throw new ModelCallException(FAILED_PRECONDITION, "signature tensor '" + key + "' names '" + name
          + "', which the loaded graph does not have");
    }
    return operation.output(index);
  }

  /** Whether a tensor of shape {@code fed} fits {@code expected} (same rank; -1 matches any size). */
  static boolean fits(long[] fed, long[] expected) {
    if (fed.length != expected.length) {
      return false;
    }
    for (int i = 0; i < fed.length; i++) {
      if (expected[i] >= 0 && expected[i] != fed[i]) {
        return false;
      }
    }
    return true;
  }

  /** TensorFlow's status code for an exception from TF Java ({@code 2}, unknown, when it does not say). */
  static int code(RuntimeException e) {
    if (e instanceof TFInvalidArgumentException || e instanceof IllegalArgumentException) {
      return INVALID_ARGUMENT;
    }
    if (e instanceof TFFailedPreconditionException) {
      return FAILED_PRECONDITION;
    }
    if (e instanceof TFOutOfRangeException) {
      return 11;
    }
    if (e instanceof TFResourceExhaustedException) {
      return RESOURCE_EXHAUSTED;
    }
    if (e instanceof TFUnimplementedException) {
      return UNIMPLEMENTED;
    }
    if (e instanceof TFPermissionDeniedException) {
      return 7;
    }
    if (e instanceof TFUnauthenticatedException) {
      return 16;
    }
    return UNKNOWN;
  }

  @Override
  public void close() {
    bundle.close();
  }
}
