package io.mnisttf.serve;

import io.mnisttf.data.MnistData;
import io.mnisttf.serve.json.Decimals;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Predict request bodies of MNIST digits for a model's {@code serving_default} signature, one image each
 * ({@code {"instances": [image]}}), shaped as its one input takes images ({@code [-1,28,28]}, {@code [-1,784]},
 * {@code [-1,28,28,1]} or {@code [-1,1,28,28]}): pixels in [0,1] for a float input, 0..255 for an integer one.
 * The same layouts the page feeds.
 */
public final class DigitRequests {
  private DigitRequests() {}

  /**
   * One body per image of {@code images}, the first {@code count} of them (cycling when there are fewer).
   *
   * @throws ServingException when the signature does not take one 28x28 image input
   */
  public static List<byte[]> bodies(SignatureDef signature, MnistData images, int count) throws ServingException {
    if (signature.getInputsCount() != 1) {
      throw ServingException.invalidArgument("serving_default takes " + signature.getInputsCount()
          + " inputs; one image input expected");
    }
    TensorInfo input = signature.getInputsMap().values().iterator().next();
    String layout = layout(input.getTensorShape());
    boolean integer = switch (input.getDtype()) {
      case DT_UINT8, DT_INT32, DT_INT64 -> true;
      case DT_FLOAT, DT_DOUBLE -> false;
      default -> throw ServingException.invalidArgument("input is " + input.getDtype() + "; float or integer pixels"
          + " expected");
    };
    List<byte[]> bodies = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      bodies.add(body(images, k % images.size(), layout, integer).getBytes(StandardCharsets.UTF_8));
    }
    return bodies;
  }

  private static String layout(TensorShapeProto shape) throws ServingException {
    StringBuilder dims = new StringBuilder();
    for (int i = 1; i < shape.getDimCount(); i++) {
      dims.append(i > 1 ? "," : "").append(shape.getDim(i).getSize());
    }
    String layout = dims.toString();
    if (shape.getUnknownRank() || !List.of("28,28", "784", "28,28,1", "1,28,28").contains(layout)) {
      throw ServingException.invalidArgument("input shape [-1," + layout + "]; [-1,28,28], [-1,784], [-1,28,28,1]"
          + " or [-1,1,28,28] expected");
    }
    return layout;
  }

  private static String body(MnistData images, int index, String layout, boolean integer) {
    float[] pixels = new float[MnistData.PIXELS];
    images.copyScaled(index, pixels, 0);
    StringBuilder image = new StringBuilder(8192);
    boolean flat = layout.equals("784");
    image.append(layout.equals("1,28,28") ? "[[" : "[");
    for (int r = 0; r < MnistData.ROWS; r++) {
      image.append(r == 0 ? "" : ", ").append(flat ? "" : "[");
      for (int c = 0; c < MnistData.COLS; c++) {
        float p = pixels[r * MnistData.COLS + c];
        String v = integer ? Integer.toString(Math.round(p * 255)) : Decimals.ofFloat(p);
        image.append(c == 0 ? "" : ", ").append(layout.equals("28,28,1") ? "[" + v + "]" : v);
      }
      image.append(flat ? "" : "]");
    }
    image.append(layout.equals("1,28,28") ? "]]" : "]");
    return "{\"instances\": [" + image + "]}";
  }
}
