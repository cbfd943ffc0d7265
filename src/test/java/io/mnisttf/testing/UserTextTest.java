package io.mnisttf.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class UserTextTest {
  @Test
  void javaNamesAreFound() {
    for (String text : new String[] {"error: x: truncated (EOFException)", "error: java.io.IOException: gone",
        "error: failed in io.mnisttf.data.IdxReader", "error: (org.tensorflow.exceptions.TFInvalidArgumentException)"}) {
      assertThrows(AssertionFailedError.class, () -> UserText.assertNoJavaNames(text), text);
    }
  }

  @Test
  void fileNamesThatContainAPackageNameAreNot() {
    UserText.assertNoJavaNames("error: m/assets.extra/mnist-tf-java.json: the export's contract names signature"
        + " 'serving_default', but the model has only 'other'");
    UserText.assertNoJavaNames("error: /home/me/java.jpg: not a PNG or JPEG image");
  }
}
