package io.mnisttf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.EOFException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.exceptions.TensorFlowException;

class ErrorsTest {
  @Test
  void describesTheProblemWithoutTheExceptionClass() {
    assertEquals("no such file: runs/x/history.csv", Errors.describe(new NoSuchFileException("runs/x/history.csv")));
    assertEquals("unexpected end of data", Errors.describe(new UncheckedIOException(new EOFException())));
    assertEquals("--limit 1 leaves 1 training example(s)",
        Errors.describe(new IllegalArgumentException("--limit 1 leaves 1 training example(s)\nmore detail")));
  }

  @Test
  void tensorFlowsOwnErrorsSayTheyAre() {
    assertEquals("TensorFlow: Matrix size-incompatible", Errors.describe(
        new TFInvalidArgumentException("Matrix size-incompatible\n\t [[node MatMul]]")));
    assertEquals("TensorFlow: session closed", Errors.describe(new TensorFlowException("session closed")));
  }
}
