package io.mnisttf.train;

import io.mnisttf.model.TrainingGraph;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Copies the network's weights out of the session and back in. */
final class Weights {
  private Weights() {}

  /** A copy of the current weights. */
  static WeightSnapshot snapshot(Session session, TrainingGraph net) {
    List<Variable<TFloat32>> variables = net.network().variables();
    Session.Runner runner = session.runner();
    variables.forEach(runner::fetch);
    List<String> names = new ArrayList<>();
    List<long[]> shapes = new ArrayList<>();
    List<float[]> values = new ArrayList<>();
    try (Result out = runner.run()) {
      for (int i = 0; i < variables.size(); i++) {
        TFloat32 t = (TFloat32) out.get(i);
        float[] v = new float[(int) t.size()];
        t.asRawTensor().data().asFloats().read(v);
        names.add(variables.get(i).op().name());
        shapes.add(t.shape().asArray());
        values.add(v);
      }
    }
    return new WeightSnapshot(names, shapes, values);
  }

  /** Sets the weights to {@code snapshot}, which must come from a network of the same shape. */
  static void restore(Session session, TrainingGraph net, WeightSnapshot snapshot) {
    if (snapshot.values().size() != net.weightInputs().size()) {
      throw new IllegalArgumentException("snapshot has " + snapshot.values().size() + " variables, the model "
          + net.weightInputs().size());
    }
    List<TFloat32> tensors = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      for (int i = 0; i < net.weightInputs().size(); i++) {
        TFloat32 t = TFloat32.tensorOf(Shape.of(snapshot.shapes().get(i)),
            DataBuffers.of(snapshot.values().get(i), true, false));
        tensors.add(t);
        runner.feed(net.weightInputs().get(i), t).addTarget(net.weightAssigns().get(i));
      }
      runner.run().close();
    } finally {
      tensors.forEach(TFloat32::close);
    }
  }
}
