package io.mnisttf.savedmodel.internal.preflight;

import io.mnisttf.runtime.RegisteredOps;
import java.nio.file.Path;
import java.util.Optional;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.OpDef;
import io.mnisttf.savedmodel.SavedModelException;

/**
 * Checks the list-length and other integer attrs of every node against its op definition before TensorFlow
 * sees them: session creation converts every library function and sizes lists by attrs such as {@code N}
 * before anything validates them, so a huge or negative {@code N} (even in a saver function that never runs)
 * aborts the process with {@code std::bad_alloc}.
 *
 * <p>For each node of a registered op type: every {@code int} attr is at least its definition's minimum;
 * every list attr has at least its minimum length; a length attr ({@code number_attr} of an argument) is at
 * most {@value #MAX_LIST_LENGTH}; and the node has exactly as many data inputs as its input arguments declare
 * ({@code N} for a {@code number_attr}, the list's length for a {@code type_list_attr}, else one).
 */
public final class ListAttrCheck {
  /** Longest list an argument may have (an MNIST graph needs a few dozen at most). */
  public static final long MAX_LIST_LENGTH = 1 << 16;

  private ListAttrCheck() {}

  public static void check(Path dir, MetaGraphDef metaGraph) throws SavedModelException {
    for (GraphNodes n : GraphNodes.all(metaGraph)) {
      Optional<OpDef> def = RegisteredOps.get(n.node().getOp());
      if (def.isPresent()) {
        String problem = problem(n, def.get());
        if (problem != null) {
          throw new SavedModelException(dir, "refused before loading: " + n.describe() + " " + problem);
        }
      }
    }
  }

  private static String problem(GraphNodes n, OpDef def) {
    for (OpDef.AttrDef a : def.getAttrList()) {
      AttrValue value = value(n, a);
      if (value == null || !a.getHasMinimum()) {
        continue;
      }
      if (a.getType().equals("int") && value.getI() < a.getMinimum()) {
        return "has attr '" + a.getName() + "' = " + value.getI() + ", less than its minimum " + a.getMinimum();
      }
      if (a.getType().startsWith("list(") && length(value.getList()) < a.getMinimum()) {
        return "has attr '" + a.getName() + "' with " + length(value.getList()) + " values, fewer than its minimum "
            + a.getMinimum();
      }
    }
    long expectedInputs = 0;
    for (OpDef.ArgDef arg : def.getInputArgList()) {
      long count = count(n, def, arg);
      if (count < 0) {
        return count == -2 ? lengthProblem(n, def, arg) : null;
      }
      expectedInputs += count;
    }
    for (OpDef.ArgDef arg : def.getOutputArgList()) {
      if (count(n, def, arg) == -2) {
        return lengthProblem(n, def, arg);
      }
    }
    long inputs = n.node().getInputList().stream().filter(i -> !i.startsWith("^")).count();
    if (inputs != expectedInputs) {
      return "has " + inputs + " data input(s), but its op definition and attrs declare " + expectedInputs;
    }
    return null;
  }

  private static String lengthProblem(GraphNodes n, OpDef def, OpDef.ArgDef arg) {
    return "has attr '" + arg.getNumberAttr() + "' = " + value(n, def, arg.getNumberAttr()).getI() + " for argument '"
        + arg.getName() + "', more than the " + MAX_LIST_LENGTH + " accepted";
  }

  /** Tensors an argument stands for; -1 when an attr it needs is missing, -2 when its length is too large. */
  private static long count(GraphNodes n, OpDef def, OpDef.ArgDef arg) {
    if (!arg.getNumberAttr().isEmpty()) {
      AttrValue v = value(n, def, arg.getNumberAttr());
      if (v == null) {
        return -1;
      }
      return v.getI() > MAX_LIST_LENGTH ? -2 : Math.max(0, v.getI());
    }
    if (!arg.getTypeListAttr().isEmpty()) {
      AttrValue v = value(n, def, arg.getTypeListAttr());
      return v == null ? -1 : v.getList().getTypeCount();
    }
    return 1;
  }

  private static AttrValue value(GraphNodes n, OpDef.AttrDef a) {
    AttrValue v = n.node().getAttrMap().get(a.getName());
    return v != null ? v : a.hasDefaultValue() ? a.getDefaultValue() : null;
  }

  private static AttrValue value(GraphNodes n, OpDef def, String name) {
    for (OpDef.AttrDef a : def.getAttrList()) {
      if (a.getName().equals(name)) {
        return value(n, a);
      }
    }
    return n.node().getAttrMap().get(name);
  }

  private static int length(AttrValue.ListValue list) {
    return list.getSCount() + list.getICount() + list.getFCount() + list.getBCount() + list.getTypeCount()
        + list.getShapeCount() + list.getTensorCount() + list.getFuncCount();
  }
}
