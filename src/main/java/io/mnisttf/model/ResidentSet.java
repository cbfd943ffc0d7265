package io.mnisttf.model;

import io.mnisttf.data.MnistData;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * A data set kept inside the session: its pixels (uint8, {@code [n, 784]}) and labels (int64, {@code [n]})
 * in two resource variables, uploaded once with {@link #upload()}. Training steps then feed only the indices
 * of their batch; the graph gathers the rows and scales the pixels to [0,1] itself.
 *
 * <p>Resource variables (not {@code VariableV2}) so that the framework's optimizers, which differentiate every
 * {@code VariableV2}, leave the data alone, and so that checkpoints (which save {@code VariableV2}s) do not
 * include them.
 *
 * @param pixelsInput placeholder for the upload, uint8 {@code [n, 784]}
 * @param labelsInput placeholder for the upload, int64 {@code [n]} (the type the framework's loss casts to)
 * @param upload assigns both placeholders to the variables
 * @param uploadPixels assigns the pixel placeholder alone (new pixels for the same labels: an augmented epoch)
 * @param pixels the pixel variable's handle
 * @param labels the label variable's handle
 */
public record ResidentSet(Placeholder<TUint8> pixelsInput, Placeholder<TInt64> labelsInput, Op upload,
    Op uploadPixels, Operand<? extends TType> pixels, Operand<? extends TType> labels) {
  private static final int PIXELS = MnistData.PIXELS;

  /**
   * Defines the variables and the upload ops under {@code tf}'s scope; {@code name} must be unique in the
   * graph (it names the variables' resources: without a shared name, all resource variables of a session
   * would be the same one).
   */
  public static ResidentSet create(Ops tf, String name) {
    Placeholder<TUint8> pixelsIn = tf.withName("pixels_in")
        .placeholder(TUint8.class, Placeholder.shape(Shape.of(-1, PIXELS)));
    Placeholder<TInt64> labelsIn = tf.withName("labels_in")
        .placeholder(TInt64.class, Placeholder.shape(Shape.of(-1)));
    VarHandleOp pixels = tf.withName("pixels").varHandleOp(TUint8.class, Shape.of(-1, PIXELS),
        VarHandleOp.sharedName(name + "_pixels"));
    VarHandleOp labels = tf.withName("labels").varHandleOp(TInt64.class, Shape.of(-1),
        VarHandleOp.sharedName(name + "_labels"));
    Op uploadPixels = tf.assignVariableOp(pixels, pixelsIn);
    Op upload = tf.withName("upload").withControlDependencies(java.util.List.of(
        uploadPixels, tf.assignVariableOp(labels, labelsIn))).noOp();
    return new ResidentSet(pixelsIn, labelsIn, upload, uploadPixels, pixels, labels);
  }

  /** The rows at {@code indices}, pixels scaled to [0,1]: float32 {@code [batch, 784]}. */
  public Operand<TFloat32> images(Ops tf, Operand<TInt32> indices) {
    return scaled(tf, tf.resourceGather(pixels, indices, TUint8.class));
  }

  /** The labels at {@code indices}: int64 {@code [batch]}. */
  public Operand<TInt64> labels(Ops tf, Operand<TInt32> indices) {
    return tf.resourceGather(labels, indices, TInt64.class);
  }


  /** The same arithmetic as {@code MnistData.copyScaled}: float(byte) * (1/255) in float32. */
  private static Operand<TFloat32> scaled(Ops tf, Operand<TUint8> bytes) {
    return tf.math.mul(tf.dtypes.cast(bytes, TFloat32.class), tf.constant(1f / 255f));
  }
}
