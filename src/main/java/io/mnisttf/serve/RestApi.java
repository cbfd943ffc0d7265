package io.mnisttf.serve;

import io.mnisttf.savedmodel.internal.worker.WireTensor;
import io.mnisttf.serve.json.PrettyJson;
import io.mnisttf.serve.json.ProtoJson;
import io.mnisttf.util.Problems;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * TensorFlow Serving's REST API ({@code http_rest_api_handler.cc}) over {@link ModelVersions}, independent of
 * the HTTP server: {@code GET /v1/models/NAME[/versions/N|/labels/L]} (status), {@code GET .../metadata}
 * (signature defs), {@code POST /v1/models/NAME[/versions/N|/labels/L]:(predict|classify|regress)}. Paths match
 * as the model server's regular expressions do (case-insensitively), requests are checked in its order (the
 * JSON first, then the model, then the signature, then the tensors), and every answer, errors included, has its
 * status code and body: {@code {"error": "<message>"}} for errors, a valid JSON string (the model server escapes
 * messages C-style, which strict JSON parsers refuse).
 */
public final class RestApi {
  /** Paths this API answers (TF Serving's {@code kPathRegex}); anything else is not found. */
  static final Pattern API_PATH = Pattern.compile("(?i)/v1/.*");
  private static final Pattern INFERENCE = Pattern.compile(
      "(?i)/v1/models/([^/:]+)(?:(?:/versions/(\\d+))|(?:/labels/([^/:]+)))?:(classify|regress|predict)");
  private static final Pattern STATUS = Pattern.compile(
      "(?i)/v1/models(?:/([^/:]+))?(?:(?:/versions/(\\d+))|(?:/labels/([^/:]+)))?(?:/(metadata))?");

  private final Map<String, ModelVersions> models;
  private final Map<String, Map<String, Long>> labels;

  /** An HTTP answer. */
  public record Response(int status, String contentType, byte[] body) {
    static Response json(int status, String text) {
      return new Response(status, "application/json", text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * @param models the models served, by name
   * @param labels version labels of each model ({@code stable -> 1}), by model name
   */
  public RestApi(Map<String, ModelVersions> models, Map<String, Map<String, Long>> labels) {
    this.models = Map.copyOf(models);
    this.labels = Map.copyOf(labels);
  }

  /** Whether {@code path} is one of this API's. */
  public static boolean handles(String path) {
    return API_PATH.matcher(path).matches();
  }

  /** The answer to one request ({@code ProcessRequest}). */
  public Response handle(String method, String rawPath, byte[] body) {
    try {
      return Response.json(200, dispatch(method, rawPath, body));
    } catch (ServingException e) {
      return error(e);
    } catch (RuntimeException e) {
      return error(new ServingException(Code.INTERNAL, "internal error: " + Problems.describe(e)));
    }
  }

  /** {@code { "error": "<message>" }} with the code's HTTP status. */
  public static Response error(ServingException e) {
    StringBuilder json = new StringBuilder("{ \"error\": ");
    PrettyJson.quote(json, e.getMessage() == null ? "" : e.getMessage());
    return Response.json(e.code().httpStatus(), json.append(" }").toString());
  }

  /** Which model and version a request names ({@code ModelSpec}). */
  private record Spec(String name, Long version, String label) {}

  private String dispatch(String method, String path, byte[] body) throws ServingException {
    ServingException malformed = ServingException.invalidArgument("Malformed request: " + method + " " + path);
    if (method.equals("POST")) {
      Matcher m = INFERENCE.matcher(path);
      if (!m.matches()) {
        throw malformed;
      }
      Spec spec = spec(m);
      return switch (m.group(4)) {
        case "predict" -> predict(spec, body);
        case "classify" -> classifyOrRegress(spec, body, true);
        case "regress" -> classifyOrRegress(spec, body, false);
        default -> throw malformed; // the pattern is case-insensitive, the dispatch is not (as in the model server)
      };
    }
    if (method.equals("GET")) {
      Matcher m = STATUS.matcher(path);
      if (!m.matches()) {
        throw malformed;
      }
      Spec spec = spec(m);
      if ("metadata".equals(m.group(4))) {
        return metadata(spec);
      }
      return status(spec);
    }
    throw malformed;
  }

  private static Spec spec(Matcher m) throws ServingException {
    String name = m.group(1) == null ? "" : decode(m.group(1), "model name");
    Long version = null;
    if (m.group(2) != null) {
      try {
        version = Long.parseLong(m.group(2));
      } catch (NumberFormatException e) {
        throw ServingException.invalidArgument("Failed to convert version: " + m.group(2) + " to numeric.");
      }
    }
    String label = m.group(3) == null ? null : decode(m.group(3), "model version label");
    return new Spec(name, version, label);
  }

  private static String decode(String s, String what) throws ServingException {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ServingException.invalidArgument("Failed to decode " + what + ":" + s);
    }
  }

  /** The model's versions, or TF Serving's not-found error for the request. */
  private ModelVersions model(Spec spec) throws ServingException {
    ModelVersions model = models.get(spec.name());
    if (model == null) {
      throw ServingException.notFound("Servable not found for request: " + request(spec));
    }
    return model;
  }

  /** {@code ServableRequest::DebugString} of a request by name and version (labels resolved). */
  private String request(Spec spec) throws ServingException {
    Long version = resolve(spec);
    return version == null ? "Latest(" + spec.name() + ")" : "Specific(" + spec.name() + ", " + version + ")";
  }

  /** The version a request names: its number, its label's, or {@code null} for the latest. */
  private Long resolve(Spec spec) throws ServingException {
    if (spec.label() == null) {
      return spec.version();
    }
    Long version = labels.getOrDefault(spec.name(), Map.of()).get(spec.label());
    if (version == null) {
      throw ServingException.invalidArgument("Unrecognized servable version label: " + spec.label());
    }
    return version;
  }

  private ModelVersions.Lease lease(Spec spec) throws ServingException {
    Long version = resolve(spec);
    return model(spec).acquire(version);
  }

  /** Holds the version a request uses from its first lookup to its answer. */
  private final class Held implements AutoCloseable {
    private final Spec spec;
    private ModelVersions.Lease lease;

    Held(Spec spec) {
      this.spec = spec;
    }

    ModelVersions.Lease get() throws ServingException {
      if (lease == null) {
        lease = lease(spec);
      }
      return lease;
    }

    @Override
    public void close() {
      if (lease != null) {
        lease.close();
      }
    }
  }

  private String predict(Spec spec, byte[] body) throws ServingException {
    try (Held held = new Held(spec)) {
      PredictCodec.Request request = PredictCodec.parse(body, signature -> inputs(held.get(), signature));
      String key = request.signatureName().isEmpty() ? PredictCodec.DEFAULT_SIGNATURE : request.signatureName();
      Map<String, WireTensor> outputs = held.get().servable().run(key, request.inputs());
      return PredictResponse.write(outputs, request.format());
    }
  }

  /** {@code GetInfoMap}: the inputs of the requested signature. */
  private static Map<String, TensorInfo> inputs(ModelVersions.Lease lease, String signature)
      throws ServingException {
    String key = signature.isEmpty() ? PredictCodec.DEFAULT_SIGNATURE : signature;
    SignatureDef s = lease.servable().signatures().get(key);
    if (s == null) {
      throw ServingException.invalidArgument("Serving signature name: \"" + key + "\" not found in signature def");
    }
    return s.getInputsMap();
  }

  private String classifyOrRegress(Spec spec, byte[] body, boolean classify) throws ServingException {
    ExampleCodec.Request request = ExampleCodec.parse(body);
    try (ModelVersions.Lease lease = lease(spec)) {
      Map<String, SignatureDef> signatures = lease.servable().signatures();
      SignatureDef signature = ExampleCodec.signature(signatures, request.signatureName(), classify);
      String key = request.signatureName().isEmpty() ? PredictCodec.DEFAULT_SIGNATURE : request.signatureName();
      Map<String, WireTensor> outputs = lease.servable().run(key, request.inputs());
      int examples = request.examples().size();
      return classify ? ExampleCodec.classification(signature, examples, outputs)
          : ExampleCodec.regression(examples, outputs);
    }
  }

  private String metadata(Spec spec) throws ServingException {
    if (spec.name().isEmpty()) {
      throw ServingException.invalidArgument("Missing model name in request.");
    }
    try (ModelVersions.Lease lease = lease(spec)) {
      ProtoJson modelSpec = new ProtoJson().startObject().key("name").string(spec.name())
          .key("signature_name").string("").key("version").string(Long.toString(lease.version())).endObject();
      ProtoJson signatures = new ProtoJson().startObject().key("signature_def").startObject();
      for (Map.Entry<String, SignatureDef> s : lease.servable().signatures().entrySet()) {
        signatures.key(s.getKey()).message(s.getValue());
      }
      signatures.endObject().endObject();
      return "{\n\"model_spec\":" + modelSpec.end() + ",\n\"metadata\": {\"signature_def\": " + signatures.end()
          + "}\n}\n";
    }
  }

  private String status(Spec spec) throws ServingException {
    if (spec.name().isEmpty()) {
      throw ServingException.invalidArgument("Missing model name in request.");
    }
    ModelVersions model = models.get(spec.name());
    List<VersionSlot.Status> statuses;
    if (spec.version() != null) {
      Optional<VersionSlot.Status> s = model == null ? Optional.empty() : model.status(spec.version());
      if (s.isEmpty()) {
        throw ServingException.notFound("Could not find version " + spec.version() + " of model " + spec.name());
      }
      statuses = List.of(s.get());
    } else {
      statuses = model == null ? List.of() : model.statuses();
      if (statuses.isEmpty()) {
        throw ServingException.notFound("Could not find any versions of model " + spec.name());
      }
    }
    ProtoJson json = new ProtoJson().startObject().key("model_version_status").startArray();
    for (VersionSlot.Status s : statuses) {
      json.startObject().key("version").string(Long.toString(s.version())).key("state").string(s.state().name())
          .key("status").startObject().key("error_code").string(s.error().name())
          .key("error_message").string(s.message()).endObject().endObject();
    }
    return json.endArray().endObject().end();
  }
}
