package io.mnisttf.savedmodel.internal.preflight;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import io.mnisttf.savedmodel.SavedModelException;

/**
 * Refuses a function library in which a function calls itself, directly or through others (by op type,
 * {@code PartitionedCall}/{@code StatefulPartitionedCall}'s {@code f}, or any other function-valued attr such
 * as {@code then_branch} or {@code body}): TensorFlow instantiates called functions recursively, and such a
 * cycle overflows the native stack (SIGSEGV, no message).
 */
public final class FunctionCycleCheck {
  private FunctionCycleCheck() {}

  public static void check(Path dir, MetaGraphDef metaGraph) throws SavedModelException {
    Map<String, FunctionDef> functions = new LinkedHashMap<>();
    for (FunctionDef f : metaGraph.getGraphDef().getLibrary().getFunctionList()) {
      functions.put(f.getSignature().getName(), f);
    }
    Map<String, List<String>> calls = new HashMap<>();
    for (FunctionDef f : functions.values()) {
      List<String> called = new ArrayList<>();
      for (NodeDef node : f.getNodeDefList()) {
        for (String name : OpScanner.calledFunctions(node, functions)) {
          if (functions.containsKey(name)) {
            called.add(name);
          }
        }
      }
      calls.put(f.getSignature().getName(), called);
    }
    Map<String, Integer> state = new HashMap<>(); // 1: on the current path, 2: done
    for (String start : functions.keySet()) {
      List<String> cycle = visit(start, calls, state, new ArrayList<>());
      if (cycle != null) {
        throw new SavedModelException(dir, "refused before loading: function '" + cycle.get(0)
            + "' calls itself (" + String.join(" -> ", cycle) + "), which would overflow TensorFlow's stack");
      }
    }
  }

  /** Depth-first search without recursion depth limits of its own: an explicit stack of iterators. */
  private static List<String> visit(String start, Map<String, List<String>> calls, Map<String, Integer> state,
      List<String> path) {
    if (state.getOrDefault(start, 0) == 2) {
      return null;
    }
    List<java.util.Iterator<String>> stack = new ArrayList<>();
    path.add(start);
    state.put(start, 1);
    stack.add(calls.getOrDefault(start, List.of()).iterator());
    while (!stack.isEmpty()) {
      java.util.Iterator<String> next = stack.get(stack.size() - 1);
      if (!next.hasNext()) {
        stack.remove(stack.size() - 1);
        state.put(path.remove(path.size() - 1), 2);
        continue;
      }
      String callee = next.next();
      int s = state.getOrDefault(callee, 0);
      if (s == 1) {
        List<String> cycle = new ArrayList<>(path.subList(path.indexOf(callee), path.size()));
        cycle.add(callee);
        return cycle;
      }
      if (s == 0) {
        path.add(callee);
        state.put(callee, 1);
        stack.add(calls.getOrDefault(callee, List.of()).iterator());
      }
    }
    return null;
  }
}
