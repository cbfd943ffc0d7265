package io.mnisttf.savedmodel.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mnisttf.testing.UserText;
import org.junit.jupiter.api.Test;

/** The worker's error replies are one line for the user, never a Java class name. */
class WorkerMainTest {
  @Test
  void errorRepliesNameTheProblem() {
    assertEquals("too deeply nested (stack overflow)", WorkerMain.oneLine(new StackOverflowError()));
    assertEquals("the model ran out of Java heap (Java heap space)",
        WorkerMain.oneLine(new OutOfMemoryError("Java heap space")));
    assertEquals("first line", WorkerMain.oneLine(new IllegalStateException("first line\nsecond line")));
    UserText.assertNoJavaNames(WorkerMain.oneLine(new NullPointerException()));
  }
}
