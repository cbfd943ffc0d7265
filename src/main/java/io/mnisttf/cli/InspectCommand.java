package io.mnisttf.cli;

import io.mnisttf.savedmodel.ClassifierOptions;
import io.mnisttf.savedmodel.InputScale;
import io.mnisttf.savedmodel.Inspection;
import io.mnisttf.savedmodel.ModelInspector;
import io.mnisttf.savedmodel.ModelSignature;
import io.mnisttf.savedmodel.OpScan;
import io.mnisttf.savedmodel.TensorSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code inspect}: what {@code saved_model_cli show --all} prints (tag sets, signatures with their inputs
 * and outputs, method names), plus variables, op types, the safety verdict, the TensorFlow versions that
 * load the model (1.15 to 2.18, from their op registries) and what {@code evaluate} would call with the same
 * {@code --tag-set}, {@code --signature} or {@code --input}/{@code --output} (tag set, signature or tensors, feed,
 * scale), all without loading the model.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Describe a SavedModel without loading it: signatures, variables, op types, whether"
        + " its ops are safe to load, and what evaluate would call with the same model options.")
final class InspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "SavedModel folder (or a TF Serving base folder: its highest version is used).")
  Path model;

  @Mixin ModelSelectionOptions selection;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    Inspection inspection = ModelInspector.inspect(model,
        selection.applyTo(ClassifierOptions.DEFAULTS, spec.commandLine()));
    PrintWriter out = spec.commandLine().getOut();
    if (common.json) {
      out.println(Json.line(InspectSummary.of(inspection)));
    } else {
      print(out, inspection);
    }
    out.flush();
    return 0;
  }

  static void print(PrintWriter out, Inspection in) {
    out.printf(Locale.ROOT, "SavedModel %s (%s, %,d bytes%s)%n", in.dir(), in.file().getFileName(), in.fileBytes(),
        in.savedBy().isEmpty() ? "" : ", saved by TensorFlow " + in.savedBy());
    for (Inspection.MetaGraph m : in.metaGraphs()) {
      out.println();
      out.printf("MetaGraphDef with tag-set: '%s' contains the following SignatureDefs:%n", String.join(", ", m.tags()));
      for (Inspection.SignatureInfo s : m.signatures()) {
        out.println();
        out.printf("signature_def['%s']:%n", s.key());
        out.println("  The given SavedModel SignatureDef contains the following input(s):");
        s.inputs().forEach(t -> printTensor(out, "inputs", t));
        out.println("  The given SavedModel SignatureDef contains the following output(s):");
        s.outputs().forEach(t -> printTensor(out, "outputs", t));
        out.printf("  Method name is: %s%n", s.methodName());
      }
    }
    out.println();
    if (in.variables() != null) {
      Inspection.Variables v = in.variables();
      out.printf(Locale.ROOT, "Variables: %d tensors, %,d bytes%s (from %s)%n", v.count(), v.bytes(),
          v.shards() > 0 ? " in " + v.shards() + " shard" + (v.shards() == 1 ? "" : "s") : "", v.source());
      if (v.problem() != null) {
        out.println("  problem: " + v.problem());
      }
    }
    if (in.scan() != null) {
      OpScan scan = in.scan();
      out.printf(Locale.ROOT, "Op types (%d in the graph's %d nodes and %d functions' %d nodes):%n",
          scan.opHistogram().size(), scan.graphNodes(), scan.functions(), scan.functionNodes());
      for (Map.Entry<String, Integer> e : sortedHistogram(scan)) {
        out.printf(Locale.ROOT, "  %-32s %6d%n", e.getKey(), e.getValue());
      }
      out.println("Safety: " + scan.verdict());
      if (!scan.saverOnly().isEmpty()) {
        out.println("  only in the saver's save path or unused functions (never run by loading or calling): "
            + scan.saverOnly().stream().map(OpScan.Finding::describe).collect(Collectors.joining(", ")));
      }
    }
    if (in.tensorflowVersions() != null) {
      out.println("TensorFlow: " + in.tensorflowVersions().summary());
    }
    if (in.loadProblem() != null) {
      out.println("Loading: " + in.loadProblem());
    }
    in.signatureProblems().forEach((key, problem) -> out.printf("Signature '%s' cannot classify MNIST images: %s%n",
        key, problem));
    if (in.evaluateProblem() != null) {
      out.println("Evaluate would refuse it: " + in.evaluateProblem());
    } else {
      Inspection.Plan plan = in.evaluatePlan();
      ModelSignature s = plan.signature();
      out.printf(Locale.ROOT, "Evaluate would use: %s, fed as %s%s%n", s.describe(), s.describeFeed(),
          s.fixedBatch() > 0 ? " in batches of exactly " + s.fixedBatch() : "");
      out.printf("  tag set: '%s'%n", String.join(",", in.servingTags()));
      out.printf("  scale:   %s%s (%s)%n", plan.scale().label(),
          plan.scale() == InputScale.AUTO ? "" : " " + plan.scale().range(), plan.scaleReason());
      plan.notes().forEach(note -> out.println("  note:    " + note));
    }
  }

  private static void printTensor(PrintWriter out, String side, TensorSpec t) {
    out.printf("    %s['%s'] tensor_info:%n", side, t.key());
    out.printf("        dtype: %s%n", t.dtype());
    out.printf("        shape: %s%n", cliShape(t.dims()));
    out.printf("        name: %s%n", t.name());
  }

  /** saved_model_cli's notation: {@code (-1, 28, 28)}, {@code unknown_rank}. */
  static String cliShape(long[] dims) {
    if (dims == null) {
      return "unknown_rank";
    }
    List<String> parts = new ArrayList<>();
    for (long d : dims) {
      parts.add(Long.toString(d));
    }
    return dims.length == 1 ? "(" + parts.get(0) + ")" : "(" + String.join(", ", parts) + ")";
  }

  private static List<Map.Entry<String, Integer>> sortedHistogram(OpScan scan) {
    return scan.opHistogram().entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .toList();
  }

  /** The JSON object (snake_case keys). */
  record InspectSummary(String model, String file, long fileBytes, String savedBy, List<MetaGraphJson> metaGraphs,
      List<String> servingTags, VariablesJson variables, Map<String, Integer> opHistogram, int graphNodes,
      int functions, int functionNodes, SafetyJson safety, String loadProblem, Map<String, String> signatureProblems,
      String evaluateSignature, String evaluateInputKey, String evaluateInputFed, String evaluateInputScale,
      String evaluateInputScaleReason, String evaluateOutputKey, List<String> evaluateNotes, String evaluateProblem,
      Map<String, String> tensorflowVersions, String minTensorflowVersion) {

    static InspectSummary of(Inspection in) {
      List<MetaGraphJson> metaGraphs = in.metaGraphs().stream().map(m -> new MetaGraphJson(m.tags(),
          m.signatures().stream().map(s -> new SignatureJson(s.key(), s.methodName(), tensors(s.inputs()),
              tensors(s.outputs()))).toList())).toList();
      OpScan scan = in.scan();
      Map<String, Integer> histogram = new LinkedHashMap<>();
      SafetyJson safety = null;
      if (scan != null) {
        sortedHistogram(scan).forEach(e -> histogram.put(e.getKey(), e.getValue()));
        safety = new SafetyJson(scan.safe() && scan.allKnown() ? "safe" : scan.allKnown() ? "unsafe" : "unknown_ops",
            scan.verdict(), findings(scan.unsafe()), findings(scan.unknown()), findings(scan.saverOnly()));
      }
      Inspection.Variables v = in.variables();
      Inspection.Plan plan = in.evaluatePlan();
      ModelSignature s = plan == null ? null : plan.signature();
      return new InspectSummary(in.dir().toString(), in.file().toString(), in.fileBytes(), in.savedBy(), metaGraphs,
          in.servingTags(), v == null ? null : new VariablesJson(v.count(), v.bytes(), v.shards(), v.source(),
              v.problem()), histogram, scan == null ? 0 : scan.graphNodes(), scan == null ? 0 : scan.functions(),
          scan == null ? 0 : scan.functionNodes(), safety, in.loadProblem(), in.signatureProblems(),
          s == null ? null : s.key(), s == null ? null : s.input().key(), s == null ? null : s.describeFeed(),
          plan == null ? null : plan.scale().label(), plan == null ? null : plan.scaleReason(),
          s == null ? null : s.output().key(), plan == null ? null : plan.notes(), in.evaluateProblem(),
          in.tensorflowVersions() == null ? null : in.tensorflowVersions().perVersion(),
          in.tensorflowVersions() == null ? null : in.tensorflowVersions().minVersion());
    }

    private static List<TensorJson> tensors(List<TensorSpec> specs) {
      return specs.stream().map(t -> new TensorJson(t.key(), t.dtype().name(), t.dims(), t.name())).toList();
    }

    private static List<FindingJson> findings(List<OpScan.Finding> findings) {
      return findings.stream().sorted(Comparator.comparing(OpScan.Finding::opType))
          .map(f -> new FindingJson(f.opType(), f.reason(), f.locations())).toList();
    }
  }

  record MetaGraphJson(List<String> tags, List<SignatureJson> signatures) {}

  record SignatureJson(String key, String methodName, List<TensorJson> inputs, List<TensorJson> outputs) {}

  /** {@code shape} is {@code null} for an unknown rank. */
  record TensorJson(String key, String dtype, long[] shape, String name) {}

  record VariablesJson(int count, long bytes, int shards, String source, String problem) {}

  record SafetyJson(String verdict, String summary, List<FindingJson> unsafeOps, List<FindingJson> unknownOps,
      List<FindingJson> saverOnlyOps) {}

  record FindingJson(String opType, String reason, List<String> locations) {}
}
