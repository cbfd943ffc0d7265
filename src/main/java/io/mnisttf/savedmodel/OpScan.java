package io.mnisttf.savedmodel;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@link OpScanner} found in a MetaGraphDef's graph and function library.
 *
 * @param opHistogram number of nodes of each op type, graph and functions together, by op type
 * @param graphNodes nodes in the main graph
 * @param functions functions in the library
 * @param functionNodes nodes in all library functions
 * @param unsafe denied op types that loading or calling could run (or that are denied everywhere)
 * @param unknown op types this TensorFlow does not register and no library function defines
 * @param saverOnly checkpoint-writing ops ({@link DeniedOps#SAVER_OPS}) that only the saver's save path
 *     or unused functions hold: nothing in loading or calling the model runs them
 */
public record OpScan(Map<String, Integer> opHistogram, int graphNodes, int functions, int functionNodes,
    List<Finding> unsafe, List<Finding> unknown, List<Finding> saverOnly) {

  /**
   * One op type found, with where.
   *
   * @param opType the op type
   * @param reason what it does ("writes files", ...) or why it is listed ("not registered")
   * @param locations where it occurs: {@code node 'n'} or {@code function 'f' node 'n'}
   */
  public record Finding(String opType, String reason, List<String> locations) {
    public Finding {
      locations = List.copyOf(locations);
    }

    /** {@code WriteFile (writes files: node 'w')}, with at most three locations. */
    public String describe() {
      String where = locations.stream().limit(3).collect(Collectors.joining(", "));
      if (locations.size() > 3) {
        where += " and " + (locations.size() - 3) + " more";
      }
      return opType + " (" + reason + ": " + where + ")";
    }
  }

  public OpScan {
    opHistogram = Map.copyOf(opHistogram);
    unsafe = List.copyOf(unsafe);
    unknown = List.copyOf(unknown);
    saverOnly = List.copyOf(saverOnly);
  }

  /** True when no unsafe op was found. */
  public boolean safe() {
    return unsafe.isEmpty();
  }

  /** True when every op type is known to this TensorFlow. */
  public boolean allKnown() {
    return unknown.isEmpty();
  }

  /** One line: the verdict and, when refused, the ops and where they are. */
  public String verdict() {
    if (!allKnown()) {
      return "refused: op types unknown to TensorFlow " + io.mnisttf.runtime.RegisteredOps.version() + ": "
          + describe(unknown) + (safe() ? "" : "; unsafe ops: " + describe(unsafe));
    }
    if (!safe()) {
      return "unsafe: ops that touch files, the network or processes: " + describe(unsafe);
    }
    return "safe: no op touches files, the network or processes (" + opHistogram.size()
        + " op types, all registered)";
  }

  public static String describe(List<Finding> findings) {
    return findings.stream().map(Finding::describe).collect(Collectors.joining(", "));
  }
}
