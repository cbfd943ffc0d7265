package io.mnisttf.cli;

import com.google.protobuf.ByteString;
import io.mnisttf.runtime.RegisteredOps;
import io.mnisttf.savedmodel.internal.format.CheckpointIndex;
import io.mnisttf.savedmodel.internal.format.CheckpointIndexEditor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Structure-aware mutations of a SavedModel folder, for {@link SavedModelFuzzTest}: changed attr values
 * (list lengths, types, shapes, function names), Const tensors (dimensions, types, content), signatures,
 * checkpoint entries (type, shape, size, place, rewritten as a valid index), variable declarations against
 * their checkpoint entries and the restore ops' types, rewired inputs, swapped
 * op types, and raw bit flips and truncation of the model and variable files. Each mutation is chosen and
 * applied from a seeded {@link Random}, so a case is reproduced from its seed.
 */
final class SavedModelMutator {
  /** Values that break assumptions: negative, zero, huge, past int32 and int64 products. */
  private static final long[] EDGE_INTS = {-1, 0, 1, 2, 3, 10, 28, 784, -(1L << 31), (1L << 31) - 1, 1L << 31,
      1L << 40, -(1L << 40), Long.MAX_VALUE, Long.MIN_VALUE, 1L << 20, 1L << 62};
  private static final String[] OPS = {"ReadFile", "WriteFile", "MergeV2Checkpoints", "Pack", "StringJoin",
      "Identity", "IdentityN", "NoOp", "Const", "MatMul", "Softmax", "Reshape", "Fill", "ConcatV2", "Unpack",
      "PartitionedCall", "StatefulPartitionedCall", "While", "If", "RestoreV2", "SaveV2", "AssignVariableOp",
      "ReadVariableOp", "VarHandleOp", "NotAnOp", "Placeholder", "Relu", "BiasAdd", "Cast", "Tile", "Range"};
  private static final DataType[] TYPES = {DataType.DT_FLOAT, DataType.DT_DOUBLE, DataType.DT_INT32,
      DataType.DT_INT64, DataType.DT_STRING, DataType.DT_HALF, DataType.DT_BOOL, DataType.DT_RESOURCE,
      DataType.DT_VARIANT, DataType.DT_UINT8, DataType.DT_COMPLEX128, DataType.DT_INVALID};

  /** What was done, for reproducing a finding. */
  record Mutation(String kind, String detail) {
    @Override
    public String toString() {
      return kind + ": " + detail;
    }
  }

  private final Random random;

  SavedModelMutator(long seed) {
    this.random = new Random(seed);
  }

  /** Applies one to three mutations to the model folder {@code dir} (a copy) and says what they were. */
  List<Mutation> mutate(Path dir) throws IOException {
    List<Mutation> done = new ArrayList<>();
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      int kind = random.nextInt(100);
      if (kind < 68) {
        done.add(mutateProto(dir, kind));
      } else if (kind < 76) {
        done.add(mutateCheckpoint(dir));
      } else if (kind < 88) {
        done.add(flipBits(pick(files(dir))));
      } else {
        done.add(truncate(pick(files(dir))));
      }
    }
    return done;
  }

  private Mutation mutateProto(Path dir, int kind) throws IOException {
    Path file = dir.resolve("saved_model.pb");
    SavedModel model;
    try {
      model = SavedModel.parseFrom(Files.readAllBytes(file));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return flipBits(file); // an earlier raw mutation broke it
    }
    SavedModel.Builder b = model.toBuilder();
    if (b.getMetaGraphsCount() == 0) {
      return truncate(file);
    }
    MetaGraphDef.Builder m = b.getMetaGraphsBuilder(0);
    Mutation done;
    if (kind < 22) {
      done = mutateAttr(m);
    } else if (kind < 36) {
      done = mutateConst(m);
    } else if (kind < 46) {
      done = mutateSignature(m);
    } else if (kind < 56) {
      done = mutateVariable(m);
    } else if (kind < 66) {
      done = rewire(m);
    } else {
      done = swapOp(m);
    }
    Files.write(file, b.build().toByteArray());
    return done;
  }

  /** A node of the graph or of a function, to change in place. */
  private interface NodeSlot {
    NodeDef get();

    void set(NodeDef node);

    String where();
  }

  private List<NodeSlot> slots(MetaGraphDef.Builder m) {
    List<NodeSlot> slots = new ArrayList<>();
    GraphDef.Builder g = m.getGraphDefBuilder();
    for (int i = 0; i < g.getNodeCount(); i++) {
      int index = i;
      slots.add(slot(() -> g.getNode(index), n -> g.setNode(index, n), "node '" + g.getNode(i).getName() + "'"));
    }
    for (int f = 0; f < g.getLibrary().getFunctionCount(); f++) {
      FunctionDef.Builder fn = g.getLibraryBuilder().getFunctionBuilder(f);
      for (int i = 0; i < fn.getNodeDefCount(); i++) {
        int index = i;
        slots.add(slot(() -> fn.getNodeDef(index), n -> fn.setNodeDef(index, n),
            "function '" + fn.getSignature().getName() + "' node '" + fn.getNodeDef(i).getName() + "'"));
      }
    }
    return slots;
  }

  private static NodeSlot slot(java.util.function.Supplier<NodeDef> get, java.util.function.Consumer<NodeDef> set,
      String where) {
    return new NodeSlot() {
      @Override
      public NodeDef get() {
        return get.get();
      }

      @Override
      public void set(NodeDef node) {
        set.accept(node);
      }

      @Override
      public String where() {
        return where;
      }
    };
  }

  private Mutation mutateAttr(MetaGraphDef.Builder m) {
    List<NodeSlot> withAttrs = slots(m).stream().filter(s -> s.get().getAttrCount() > 0).toList();
    if (withAttrs.isEmpty()) {
      return swapOp(m);
    }
    NodeSlot slot = pick(withAttrs);
    NodeDef node = slot.get();
    List<String> names = new ArrayList<>(node.getAttrMap().keySet());
    names.sort(null);
    String name = pick(names);
    AttrValue old = node.getAttrMap().get(name);
    AttrValue.Builder v = old.toBuilder();
    String what;
    switch (old.getValueCase()) {
      case I -> {
        v.setI(pick(EDGE_INTS));
        what = "int " + old.getI() + " -> " + v.getI();
      }
      case TYPE -> {
        v.setType(pick(TYPES));
        what = "type -> " + v.getType();
      }
      case SHAPE -> {
        v.setShape(shape());
        what = "shape -> " + v.getShape().getDimList().stream().map(d -> Long.toString(d.getSize())).toList();
      }
      case FUNC -> {
        String target = random.nextBoolean() ? pick(OPS) : pickFunction(m);
        v.setFunc(NameAttrList.newBuilder(old.getFunc()).setName(target));
        what = "func -> " + target;
      }
      case LIST -> {
        AttrValue.ListValue.Builder list = old.getList().toBuilder();
        if (list.getTypeCount() > 0 && random.nextBoolean()) {
          list.addType(pick(TYPES));
        } else if (list.getTypeCount() > 0) {
          List<DataType> kept = new ArrayList<>(list.getTypeList());
          kept.remove(random.nextInt(kept.size()));
          list.clearType().addAllType(kept);
        } else if (list.getICount() > 0) {
          list.setI(random.nextInt(list.getICount()), pick(EDGE_INTS));
        } else if (list.getFuncCount() > 0) {
          list.setFunc(0, NameAttrList.newBuilder().setName(pick(OPS)));
        } else {
          list.addI(pick(EDGE_INTS));
        }
        v.setList(list);
        what = "list changed";
      }
      case B -> {
        v.setB(!old.getB());
        what = "bool flipped";
      }
      case S -> {
        v.setS(ByteString.copyFromUtf8(random.nextBoolean() ? "" : "/tmp/../../etc/passwd"));
        what = "string -> " + v.getS().toStringUtf8();
      }
      case TENSOR -> {
        v.setTensor(mutateTensor(old.getTensor()));
        what = "tensor changed";
      }
      default -> {
        v.setI(pick(EDGE_INTS));
        what = "set to int " + v.getI();
      }
    }
    slot.set(node.toBuilder().putAttr(name, v.build()).build());
    return new Mutation("attr", slot.where() + " (" + node.getOp() + ") attr '" + name + "': " + what);
  }

  private Mutation mutateConst(MetaGraphDef.Builder m) {
    List<NodeSlot> consts = slots(m).stream().filter(s -> s.get().getAttrMap().containsKey("value")
        && s.get().getAttrMap().get("value").hasTensor()).toList();
    if (consts.isEmpty()) {
      return mutateAttr(m);
    }
    NodeSlot slot = pick(consts);
    NodeDef node = slot.get();
    TensorProto t = mutateTensor(node.getAttrMap().get("value").getTensor());
    slot.set(node.toBuilder().putAttr("value", AttrValue.newBuilder().setTensor(t).build()).build());
    return new Mutation("const", slot.where() + " -> " + t.getDtype() + " "
        + t.getTensorShape().getDimList().stream().map(d -> Long.toString(d.getSize())).toList()
        + ", content " + t.getTensorContent().size() + " bytes");
  }

  private TensorProto mutateTensor(TensorProto t) {
    TensorProto.Builder b = t.toBuilder();
    switch (random.nextInt(5)) {
      case 0 -> b.setTensorShape(shape());
      case 1 -> b.setDtype(pick(TYPES));
      case 2 -> b.setTensorContent(t.getTensorContent().substring(0, t.getTensorContent().size() / 2));
      case 3 -> {
        b.setTensorShape(shape());
        b.addStringVal(ByteString.copyFromUtf8("x"));
      }
      default -> b.clearTensorContent().addFloatVal(Float.NaN).addFloatVal(Float.POSITIVE_INFINITY);
    }
    return b.build();
  }

  private TensorShapeProto shape() {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    if (random.nextInt(8) == 0) {
      return s.setUnknownRank(true).build();
    }
    int rank = random.nextInt(5);
    for (int i = 0; i < rank; i++) {
      long d = random.nextBoolean() ? pick(EDGE_INTS) : random.nextInt(40) - 1;
      s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return s.build();
  }

  private Mutation mutateSignature(MetaGraphDef.Builder m) {
    if (m.getSignatureDefCount() == 0) {
      return mutateAttr(m);
    }
    List<String> keys = new ArrayList<>(m.getSignatureDefMap().keySet());
    keys.sort(null);
    String key = pick(keys);
    SignatureDef.Builder s = m.getSignatureDefMap().get(key).toBuilder();
    String what;
    List<String> nodes = m.getGraphDef().getNodeList().stream().map(NodeDef::getName).toList();
    boolean input = random.nextBoolean() && s.getInputsCount() > 0 || s.getOutputsCount() == 0;
    Map<String, TensorInfo> side = input ? s.getInputsMap() : s.getOutputsMap();
    if (side.isEmpty()) {
      m.removeSignatureDef(key);
      return new Mutation("signature", "removed '" + key + "'");
    }
    String name = side.keySet().stream().sorted().findFirst().orElseThrow();
    TensorInfo.Builder info = side.get(name).toBuilder();
    switch (random.nextInt(4)) {
      case 0 -> {
        info.setName(pick(nodes) + ":" + random.nextInt(3));
        what = "tensor -> " + info.getName();
      }
      case 1 -> {
        info.setDtype(pick(TYPES));
        what = "dtype -> " + info.getDtype();
      }
      case 2 -> {
        info.setTensorShape(shape());
        what = "shape changed";
      }
      default -> {
        m.removeSignatureDef(key);
        m.putSignatureDef(random.nextBoolean() ? "serving_default" : "other", s.build());
        return new Mutation("signature", "'" + key + "' renamed");
      }
    }
    if (input) {
      s.putInputs(name, info.build());
    } else {
      s.putOutputs(name, info.build());
    }
    m.putSignatureDef(key, s.build());
    return new Mutation("signature", "'" + key + "' " + (input ? "input" : "output") + " '" + name + "' " + what);
  }

  /** A variable declared with another shape or type than its checkpoint entry, or a restore asking for another type. */
  private Mutation mutateVariable(MetaGraphDef.Builder m) {
    List<NodeSlot> vars = slots(m).stream().filter(s -> Stream.of("VariableV2", "VarHandleOp", "RestoreV2")
        .anyMatch(op -> op.equals(s.get().getOp()))).toList();
    if (vars.isEmpty()) {
      return mutateConst(m);
    }
    NodeSlot slot = pick(vars);
    NodeDef node = slot.get();
    NodeDef.Builder b = node.toBuilder();
    String what;
    if (node.getOp().equals("RestoreV2") && node.getAttrMap().containsKey("dtypes")) {
      AttrValue.ListValue.Builder types = node.getAttrMap().get("dtypes").getList().toBuilder();
      if (types.getTypeCount() > 0) {
        types.setType(random.nextInt(types.getTypeCount()), pick(TYPES));
      }
      b.putAttr("dtypes", AttrValue.newBuilder().setList(types).build());
      what = "restore dtypes changed";
    } else if (random.nextBoolean()) {
      b.putAttr("shape", AttrValue.newBuilder().setShape(shape()).build());
      what = "shape changed";
    } else {
      b.putAttr("dtype", AttrValue.newBuilder().setType(pick(TYPES)).build());
      what = "dtype changed";
    }
    slot.set(b.build());
    return new Mutation("variable", slot.where() + " (" + node.getOp() + ") " + what);
  }

  private Mutation rewire(MetaGraphDef.Builder m) {
    List<NodeSlot> slots = slots(m);
    List<NodeSlot> withInputs = slots.stream().filter(s -> s.get().getInputCount() > 0).toList();
    if (withInputs.isEmpty()) {
      return swapOp(m);
    }
    NodeSlot slot = pick(withInputs);
    NodeDef node = slot.get();
    int i = random.nextInt(node.getInputCount());
    String target = random.nextInt(4) == 0 ? node.getName() : pick(slots).get().getName();
    String input = (random.nextInt(5) == 0 ? "^" : "") + target + (random.nextBoolean() ? "" : ":" + random.nextInt(3));
    NodeDef.Builder b = node.toBuilder();
    if (random.nextInt(4) == 0) {
      b.addInput(input);
    } else {
      b.setInput(i, input);
    }
    slot.set(b.build());
    return new Mutation("rewire", slot.where() + " input " + i + " -> " + input);
  }

  private Mutation swapOp(MetaGraphDef.Builder m) {
    List<NodeSlot> slots = slots(m);
    if (slots.isEmpty()) {
      m.getGraphDefBuilder().addNode(NodeDef.newBuilder().setName("added").setOp(pick(OPS)));
      return new Mutation("swap", "added a node");
    }
    NodeSlot slot = pick(slots);
    NodeDef node = slot.get();
    String op;
    if (random.nextBoolean()) {
      op = pick(OPS);
    } else {
      List<String> registered = new ArrayList<>(RegisteredOps.names());
      registered.sort(null);
      op = pick(registered);
    }
    slot.set(node.toBuilder().setOp(op).build());
    return new Mutation("swap", slot.where() + " " + node.getOp() + " -> " + op);
  }

  private String pickFunction(MetaGraphDef.Builder m) {
    List<FunctionDef> functions = m.getGraphDef().getLibrary().getFunctionList();
    return functions.isEmpty() ? "missing_fn" : pick(functions).getSignature().getName();
  }

  /** A checkpoint entry with another type, shape, size or place than the tensor it holds. */
  private Mutation mutateCheckpoint(Path dir) throws IOException {
    Path index = CheckpointIndex.indexFile(dir);
    List<String> keys;
    try {
      keys = CheckpointIndexEditor.keys(index);
    } catch (IOException e) {
      return flipBits(pick(files(dir))); // no index, or an earlier mutation broke it
    }
    if (keys.isEmpty()) {
      return truncate(pick(files(dir)));
    }
    String key = pick(keys);
    int what = random.nextInt(4);
    CheckpointIndexEditor.edit(index, key, e -> switch (what) {
      case 0 -> e.toBuilder().setShape(shape()).build();
      case 1 -> e.toBuilder().setDtype(pick(TYPES)).build();
      case 2 -> e.toBuilder().setSize(pick(EDGE_INTS)).build();
      default -> e.toBuilder().setOffset(pick(EDGE_INTS)).setShardId((int) pick(EDGE_INTS)).build();
    });
    return new Mutation("checkpoint", "entry '" + key + "' " + new String[] {"shape", "dtype", "size", "place"}[what]
        + " changed");
  }

  private Mutation flipBits(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length == 0) {
      return new Mutation("bits", file.getFileName() + " empty");
    }
    int flips = 1 + random.nextInt(8);
    for (int i = 0; i < flips; i++) {
      int at = random.nextInt(bytes.length);
      bytes[at] ^= (byte) (1 << random.nextInt(8));
    }
    Files.write(file, bytes);
    return new Mutation("bits", flips + " bit(s) of " + file.getFileName());
  }

  private Mutation truncate(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int keep = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
    Files.write(file, java.util.Arrays.copyOf(bytes, keep));
    return new Mutation("truncate", file.getFileName() + " to " + keep + " of " + bytes.length + " bytes");
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  private long pick(long[] items) {
    return items[random.nextInt(items.length)];
  }

  private <T> T pick(T[] items) {
    return items[random.nextInt(items.length)];
  }
}
