package io.mnisttf.compat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which TensorFlow versions load a SavedModel's graph, and why not the others ({@link TensorFlowVersions}).
 *
 * @param perVersion for each runtime of {@link TfRuntime#ALL}, oldest first: {@code "ok"} or the reason it
 *     refuses the graph
 * @param ignoredAttrs for runtimes that load it while ignoring attrs they do not know (logging a line for
 *     each), those attrs as {@code Op.attr}
 */
public record VersionVerdict(Map<String, String> perVersion, Map<String, List<String>> ignoredAttrs) {
  /** The value of {@link #perVersion} for a runtime that loads the model. */
  public static final String OK = "ok";

  public VersionVerdict {
    perVersion = Collections.unmodifiableMap(new LinkedHashMap<>(perVersion));
    ignoredAttrs = Collections.unmodifiableMap(new LinkedHashMap<>(ignoredAttrs));
  }

  /** Whether the runtime of {@code version} loads the model. */
  public boolean loads(String version) {
    return OK.equals(perVersion.get(version));
  }

  /**
   * The oldest version from which on every known runtime loads the model (1.15 when all do), or
   * {@code null} when the newest does not.
   */
  public String minVersion() {
    String min = null;
    List<String> versions = new ArrayList<>(perVersion.keySet());
    for (int i = versions.size() - 1; i >= 0 && loads(versions.get(i)); i--) {
      min = versions.get(i);
    }
    return min;
  }

  /**
   * One line: {@code loads in 2.10, 2.16, 2.18; not 2.7, 2.4, 1.15 (op DisableCopyOnRead unknown)}, the
   * versions that refuse it grouped by reason, newest first.
   */
  public String summary() {
    List<String> ok = new ArrayList<>();
    Map<String, List<String>> byReason = new LinkedHashMap<>();
    List<String> versions = new ArrayList<>(perVersion.keySet());
    for (String v : versions) {
      if (loads(v)) {
        ok.add(ignoredAttrs.containsKey(v) ? v + " (ignoring attr " + String.join(", ", ignoredAttrs.get(v)) + ")" : v);
      }
    }
    for (int i = versions.size() - 1; i >= 0; i--) {
      String v = versions.get(i);
      if (!loads(v)) {
        byReason.computeIfAbsent(perVersion.get(v), r -> new ArrayList<>()).add(v);
      }
    }
    String refused = byReason.entrySet().stream()
        .map(e -> String.join(", ", e.getValue()) + " (" + e.getKey() + ")")
        .collect(Collectors.joining(", "));
    if (byReason.isEmpty()) {
      return "loads in " + String.join(", ", ok);
    }
    return ok.isEmpty() ? "loads in none of " + String.join(", ", versions) + ": not " + refused
        : "loads in " + String.join(", ", ok) + "; not " + refused;
  }

  /** {@code "op A unknown"} or {@code "ops A, B unknown"}. */
  static String plural(String what, Set<String> names, String problem) {
    return what + (names.size() == 1 ? " " : "s ") + String.join(", ", new TreeSet<>(names)) + " " + problem;
  }
}
