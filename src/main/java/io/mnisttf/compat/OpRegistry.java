package io.mnisttf.compat;

import java.util.Map;
import java.util.Set;

/**
 * What one TensorFlow runtime's op registry says, reduced to what the version verdict needs.
 *
 * @param runtime the runtime
 * @param fullVersion the version it reports ({@code TensorFlow.version()}, e.g. {@code "2.4.1"})
 * @param graphDefVersion its {@code TF_GRAPH_DEF_VERSION}, the {@code versions.producer} of a graph it writes
 * @param ops every registered op type, with its attrs
 */
public record OpRegistry(TfRuntime runtime, String fullVersion, int graphDefVersion, Map<String, Op> ops) {
  public OpRegistry {
    ops = Map.copyOf(ops);
  }

  /**
   * One op definition.
   *
   * @param name the op type
   * @param attrs its attrs by name
   */
  public record Op(String name, Map<String, Attr> attrs) {
    public Op {
      attrs = Map.copyOf(attrs);
    }

    /** Names of the attrs a node must set because they have no default. */
    public Set<String> required() {
      return Set.copyOf(attrs.values().stream().filter(a -> a.defaultValue() == null).map(Attr::name).toList());
    }
  }

  /**
   * One attr of an op definition.
   *
   * @param name its name
   * @param type its type as the OpDef writes it ({@code "type"}, {@code "bool"}, {@code "list(int)"}, ...)
   * @param defaultValue the serialized {@code AttrValue} of its default, or {@code null} when it has none
   */
  public record Attr(String name, String type, byte[] defaultValue) {}
}
