package io.mnisttf.compat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * A JAX computation inside a TensorFlow graph: an {@code XlaCallModule} node, which carries a serialized StableHLO
 * module (what Keras 3's JAX backend and {@code jax2tf} export) that TensorFlow compiles with XLA when the node
 * first runs. Whether a runtime can run it depends on two versions the node records: its XlaCallModule
 * serialization version ({@code version} attr) and the StableHLO version the module was serialized for (the
 * producer string of the module's MLIR bytecode, {@code StableHLO_v1.15.0}), against what that runtime's XLA
 * reads ({@link TfRuntime#xlaCallModuleMax()}, {@link TfRuntime#stableHloMax()}).
 *
 * @param node where it is: the node name, or {@code function/node}
 * @param version the XlaCallModule serialization version
 * @param stableHlo the StableHLO version the module was serialized for ({@code "1.15.0"}), or {@code null} when
 *     the module is not a StableHLO portable artifact (older serializations)
 * @param platforms the platforms it was lowered for ({@code CPU}, {@code CUDA}, {@code TPU}, ...)
 */
public record XlaModule(String node, long version, String stableHlo, List<String> platforms) {
  public static final String OP = "XlaCallModule";
  private static final Pattern PRODUCER = Pattern.compile("StableHLO_v([0-9]+)\\.([0-9]+)\\.([0-9]+)");

  public XlaModule {
    platforms = List.copyOf(platforms);
  }

  /** Every XlaCallModule of {@code graph} and its library's functions, in order. */
  public static List<XlaModule> of(GraphDef graph) {
    List<XlaModule> modules = new ArrayList<>();
    for (NodeDef node : graph.getNodeList()) {
      read(node, node.getName()).ifPresent(modules::add);
    }
    for (FunctionDef f : graph.getLibrary().getFunctionList()) {
      for (NodeDef node : f.getNodeDefList()) {
        read(node, f.getSignature().getName() + "/" + node.getName()).ifPresent(modules::add);
      }
    }
    return modules;
  }

  private static java.util.Optional<XlaModule> read(NodeDef node, String where) {
    if (!node.getOp().equals(OP)) {
      return java.util.Optional.empty();
    }
    AttrValue module = node.getAttrMap().getOrDefault("module", AttrValue.getDefaultInstance());
    byte[] head = module.getS().substring(0, Math.min(64, module.getS().size())).toByteArray();
    Matcher m = PRODUCER.matcher(new String(head, StandardCharsets.ISO_8859_1));
    String stableHlo = m.find() ? m.group(1) + "." + m.group(2) + "." + m.group(3) : null;
    List<String> platforms = node.getAttrMap().getOrDefault("platforms", AttrValue.getDefaultInstance()).getList()
        .getSList().stream().map(b -> b.toStringUtf8()).toList();
    return java.util.Optional.of(new XlaModule(where,
        node.getAttrMap().getOrDefault("version", AttrValue.getDefaultInstance()).getI(), stableHlo, platforms));
  }

  /**
   * Why {@code runtime} cannot run this module, or {@code null} when nothing known says it cannot. Where the
   * runtime's own limits are not known, those of the nearest newer runtime whose limits are known bound them: an
   * older TensorFlow never reads a newer serialization than a newer one does (seen live: TF 2.16, like 2.18,
   * fails a JAX 0.10 module with "Cannot deserialize computation").
   */
  public String problem(TfRuntime runtime) {
    List<String> why = new ArrayList<>();
    TfRuntime callBound = bound(runtime, r -> r.xlaCallModuleMax() > 0);
    if (callBound != null && version > callBound.xlaCallModuleMax()) {
      why.add("XlaCallModule version " + version + ", " + limit(runtime, callBound, "runs")
          + callBound.xlaCallModuleMax());
    }
    TfRuntime hloBound = bound(runtime, r -> r.stableHloMax() != null);
    if (hloBound != null && stableHlo != null && compare(stableHlo, hloBound.stableHloMax()) > 0) {
      why.add("StableHLO v" + stableHlo + ", " + limit(runtime, hloBound, "reads") + "v" + hloBound.stableHloMax());
    }
    if (!platforms.isEmpty() && platforms.stream().noneMatch(p -> p.toUpperCase(Locale.ROOT).equals("CPU"))) {
      why.add("lowered for " + String.join(", ", platforms) + " only, not CPU");
    }
    return why.isEmpty() ? null : String.join("; ", why);
  }

  /** {@code runtime} itself when its limit is known, else the nearest newer runtime whose limit is, or null. */
  private static TfRuntime bound(TfRuntime runtime, Predicate<TfRuntime> known) {
    if (known.test(runtime)) {
      return runtime;
    }
    int at = TfRuntime.ALL.indexOf(runtime);
    return at < 0 ? null
        : TfRuntime.ALL.subList(at + 1, TfRuntime.ALL.size()).stream().filter(known).findFirst().orElse(null);
  }

  /** {@code "2.18 runs up to "}; for a newer runtime's bound, {@code "2.16 runs at most what 2.18 runs, up to "}. */
  private static String limit(TfRuntime runtime, TfRuntime bound, String verb) {
    return bound == runtime ? runtime.version() + " " + verb + " up to "
        : runtime.version() + " " + verb + " at most what " + bound.version() + " " + verb + ", up to ";
  }

  /**
   * Compares dotted versions number by number; a shorter one stands for every version it starts
   * ({@code 1.8} covers {@code 1.8.x}), so {@code compare("1.8.3", "1.8") == 0}.
   */
  static int compare(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c = Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** {@code XlaCallModule version 10, StableHLO v1.15.0, for CPU}. */
  public String describe() {
    return OP + " version " + version + (stableHlo == null ? "" : ", StableHLO v" + stableHlo)
        + (platforms.isEmpty() ? "" : ", for " + String.join(", ", platforms));
  }
}
