package io.mnisttf.model;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.framework.losses.SparseCategoricalCrossentropy;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The graph that trains the network. The training and validation sets live in the session
 * ({@link ResidentSet}): a training step feeds only its batch's indices, gathers the rows in the graph, and
 * runs the framework's {@link SparseCategoricalCrossentropy} and {@link Adam}'s update (in its
 * {@link OrderedAdam} form); validation scores the whole resident validation set in one run. Any other data
 * (the test set) is scored by feeding images and labels.
 *
 * <p>The loss is computed from the logits ({@code fromLogits = true}), which is what Keras does for a
 * softmax output layer: it is mathematically the cross-entropy of the softmax probabilities, evaluated
 * without rounding {@code log(softmax)} through float32.
 *
 * @param mlp the network and its variables
 * @param trainSet the resident training set
 * @param batch placeholder, int32 {@code [batch]}: indices into the training set of one step's examples
 * @param step the step's loss and accuracy (before its update)
 * @param trainOp one Adam step on the batch
 * @param validationSet the resident validation set
 * @param validation loss and accuracy of the whole validation set
 * @param images placeholder, float32 {@code [n, 28, 28]}, pixels in [0,1], for scoring fed data
 * @param labels placeholder, int32 {@code [n]}, classes 0-9, for scoring fed data
 * @param forward logits and probabilities of fed images
 * @param fed loss and accuracy of fed images and labels
 */
public record TrainingGraph(Mlp mlp, ResidentSet trainSet, Placeholder<TInt32> batch, Scores step, Op trainOp,
    ResidentSet validationSet, Scores validation, Placeholder<TFloat32> images, Placeholder<TInt32> labels,
    Forward forward, Scores fed) {

  /** Defines the training graph in {@code graph}, which must be empty. */
  public static TrainingGraph build(Graph graph, ModelConfig model, AdamConfig adam, long seed) {
    SparseSoftmaxGradient.register();
    Ops tf = Ops.create(graph);
    Mlp mlp = MlpGraphBuilder.mnist(tf, model, seed);

    ResidentSet trainSet = ResidentSet.create(tf.withSubScope("train_data"), "train_data");
    Placeholder<TInt32> batch = tf.withName("batch").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    Ops step = tf.withSubScope("step");
    Operand<TInt32> batchLabels = trainSet.labels(step, batch);
    Forward batchForward = mlp.apply(step, trainSet.images(step, batch));
    Operand<TFloat32> batchLoss = loss(step, batchLabels, batchForward.logits());
    // The optimizer differentiates every VariableV2 in the graph: the weights are the only ones so far.
    Op trainOp = new OrderedAdam(graph, adam).minimize(batchLoss);
    Scores stepScores = new Scores(batchLoss, accuracy(step, batchForward.logits(), batchLabels));

    ResidentSet validationSet = ResidentSet.create(tf.withSubScope("validation_data"), "validation_data");
    Ops val = tf.withSubScope("validation");
    Operand<TInt32> valLabels = validationSet.allLabels(val);
    Forward valForward = mlp.apply(val, validationSet.allImages(val));
    Scores validation = new Scores(loss(val, valLabels, valForward.logits()),
        accuracy(val, valForward.logits(), valLabels));

    Placeholder<TFloat32> images = tf.withName("images")
        .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28)));
    Placeholder<TInt32> labels = tf.withName("labels")
        .placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    Ops fed = tf.withSubScope("fed");
    Forward forward = mlp.apply(fed, images);
    Scores fedScores = new Scores(loss(fed, labels, forward.logits()), accuracy(fed, forward.logits(), labels));
    return new TrainingGraph(mlp, trainSet, batch, stepScores, trainOp, validationSet, validation, images, labels,
        forward, fedScores);
  }

  /** The framework's sparse categorical cross-entropy on logits, averaged over the batch. */
  static Operand<TFloat32> loss(Ops tf, Operand<TInt32> labels, Operand<TFloat32> logits) {
    return new SparseCategoricalCrossentropy(true).call(tf.withSubScope("loss"), labels, logits, null);
  }

  /** Fraction of rows whose largest logit is at the label; computed per batch (see GOTCHA D in notes). */
  static Operand<TFloat32> accuracy(Ops tf, Operand<TFloat32> logits, Operand<TInt32> labels) {
    Ops scope = tf.withSubScope("accuracy");
    Operand<TInt32> predicted = scope.math.argMax(logits, scope.constant(1), TInt32.class);
    Operand<TFloat32> hits = scope.dtypes.cast(scope.math.equal(predicted, labels), TFloat32.class);
    return scope.math.mean(hits, scope.constant(0));
  }
}
