package io.mnisttf.model;

import io.mnisttf.data.MnistData;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.framework.losses.SparseCategoricalCrossentropy;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The graph that trains the network. The data set lives in the session ({@link ResidentSet}, uploaded once):
 * a training step feeds only its batch's indices, gathers the rows in the graph, and runs the framework's
 * {@link SparseCategoricalCrossentropy} and {@link Adam}'s update (in its {@link OrderedAdam} form);
 * validation gathers the held-out rows (their indices are resident too) and scores them in one run. Any
 * other data (the test set) is scored by feeding images and labels.
 *
 * <p>The loss is computed from the logits ({@code fromLogits = true}), which is what Keras does for a
 * softmax output layer: it is mathematically the cross-entropy of the softmax probabilities, evaluated
 * without rounding {@code log(softmax)} through float32. Labels are int64, the type the loss casts them to.
 *
 * @param network the network and its variables
 * @param data the resident data set (training and validation examples)
 * @param batch placeholder, int32 {@code [batch]}: indices into {@code data} of one step's examples
 * @param stepSeed placeholder, int64 {@code [2]}: the seed of one step's random numbers (dropout), for a
 *     {@link Network#stochastic()} network; null for the others (the MLP), whose graph has no such input
 * @param step the step's loss and accuracy (before its update)
 * @param trainOp one Adam step on the batch
 * @param validationIndices placeholder, int32 {@code [n]}: indices of the validation examples, for upload
 * @param validationUpload stores {@code validationIndices} in the session
 * @param validation loss and accuracy of the whole validation part
 * @param images placeholder, float32 {@code [n, 28, 28]}, pixels in [0,1], for scoring fed data
 * @param labels placeholder, int64 {@code [n]}, classes 0-9, for scoring fed data
 * @param forward logits and probabilities of fed images
 * @param fed loss and accuracy of fed images and labels
 * @param weightInputs placeholders, one per variable of {@code network} (same order and shape), to set the weights
 * @param weightAssigns assign each {@code weightInputs} value to its variable
 * @param average the moving average of the weights ({@link AdamConfig#emaMomentum}; updated by {@code trainOp}
 *     after each Adam step), or null when none is kept
 */
public record TrainingGraph(Network network, ResidentSet data, Placeholder<TInt32> batch,
    Placeholder<TInt64> stepSeed, Scores step, Op trainOp,
    Placeholder<TInt32> validationIndices, Op validationUpload, Scores validation, Placeholder<TFloat32> images,
    Placeholder<TInt64> labels, Forward forward, Scores fed, List<Placeholder<TFloat32>> weightInputs,
    List<Operand<TFloat32>> weightAssigns, WeightAverage average) {

  /** Defines the training graph in {@code graph}, which must be empty. */
  public static TrainingGraph build(Graph graph, ModelConfig model, AdamConfig adam, long seed) {
    SparseSoftmaxGradient.register();
    Ops tf = Ops.create(graph);
    Network network = Networks.mnist(tf, model, seed);
    ResidentSet data = ResidentSet.create(tf.withSubScope("data"), "data");

    Placeholder<TInt32> batch = tf.withName("batch").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    Placeholder<TInt64> stepSeed = network.stochastic()
        ? tf.withName("step_seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)))
        : null;
    Ops step = tf.withSubScope("step");
    Operand<TInt64> batchLabels = data.labels(step, batch);
    Forward batchForward = network.applyTraining(step, data.images(step, batch), stepSeed);
    Operand<TFloat32> batchLoss = loss(step, batchLabels, batchForward.logits());
    // The optimizer differentiates every VariableV2 in the graph: the weights are the only ones so far.
    Op adamStep = new OrderedAdam(graph, adam).minimize(batchLoss);
    WeightAverage average = adam.averaged()
        ? WeightAverage.create(tf.withSubScope("average"), network.variables(), adam.emaMomentum(), adamStep)
        : null;
    Op trainOp = average == null ? adamStep : average.update();
    Scores stepScores = Scores.of(step, batchLoss, accuracy(step, batchForward.logits(), batchLabels));

    Placeholder<TInt32> validationIndices = tf.withName("validation_indices_in")
        .placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    VarHandleOp residentIndices = tf.withName("validation_indices").varHandleOp(TInt32.class, Shape.of(-1),
        VarHandleOp.sharedName("validation_indices"));
    Op validationUpload = tf.withName("validation_upload").assignVariableOp(residentIndices, validationIndices);
    Ops val = tf.withSubScope("validation");
    Operand<TInt32> held = val.readVariableOp(residentIndices, TInt32.class);
    Operand<TInt64> valLabels = data.labels(val, held);
    Forward valForward = network.apply(val, data.images(val, held));
    Scores validation = Scores.of(val, loss(val, valLabels, valForward.logits()),
        accuracy(val, valForward.logits(), valLabels));

    Placeholder<TFloat32> images = tf.withName("images")
        .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, MnistData.ROWS, MnistData.COLS)));
    Placeholder<TInt64> labels = tf.withName("labels")
        .placeholder(TInt64.class, Placeholder.shape(Shape.of(-1)));
    Ops fed = tf.withSubScope("fed");
    Forward forward = network.apply(fed, images);
    Scores fedScores = Scores.of(fed, loss(fed, labels, forward.logits()), accuracy(fed, forward.logits(), labels));
    Ops restore = tf.withSubScope("restore");
    List<Placeholder<TFloat32>> weightInputs = new ArrayList<>();
    List<Operand<TFloat32>> weightAssigns = new ArrayList<>();
    for (Variable<TFloat32> variable : network.variables()) {
      Placeholder<TFloat32> value = restore.placeholder(TFloat32.class, Placeholder.shape(variable.shape()));
      weightInputs.add(value);
      weightAssigns.add(restore.assign(variable, value));
    }
    return new TrainingGraph(network, data, batch, stepSeed, stepScores, trainOp, validationIndices, validationUpload,
        validation, images, labels, forward, fedScores, List.copyOf(weightInputs), List.copyOf(weightAssigns),
        average);
  }

  /** The framework's sparse categorical cross-entropy on logits, averaged over the batch. */
  static Operand<TFloat32> loss(Ops tf, Operand<TInt64> labels, Operand<TFloat32> logits) {
    return new SparseCategoricalCrossentropy(true).call(tf.withSubScope("loss"), labels, logits, null);
  }

  /** Fraction of rows whose largest logit is at the label; computed per batch (see GOTCHA D in notes). */
  static Operand<TFloat32> accuracy(Ops tf, Operand<TFloat32> logits, Operand<TInt64> labels) {
    Ops scope = tf.withSubScope("accuracy");
    Operand<TInt64> predicted = scope.math.argMax(logits, scope.constant(1), TInt64.class);
    Operand<TFloat32> hits = scope.dtypes.cast(scope.math.equal(predicted, labels), TFloat32.class);
    return scope.math.mean(hits, scope.constant(0));
  }
}
