package io.mnisttf.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks on text shown to users: it names problems, not the Java classes that reported them. */
public final class UserText {
  /**
   * An exception or error class (simple or qualified), or a qualified name in a Java package of ours or the JDK's
   * (not inside a file name such as {@code mnist-tf-java.json}).
   */
  private static final Pattern JAVA_NAME = Pattern.compile(
      "\\b[A-Z][A-Za-z0-9]*(?:Exception|Error)\\b|(?<![\\w./\\\\-])(?:java|javax|jdk|sun|picocli|io\\.mnisttf|org\\.tensorflow"
          + "|org\\.apache|com\\.google)\\.[A-Za-z]");

  private UserText() {}

  /** Fails when {@code text} holds a Java class name such as {@code EOFException} or {@code java.io.X}. */
  public static void assertNoJavaNames(String text) {
    Matcher m = JAVA_NAME.matcher(text);
    assertFalse(m.find(), () -> "a Java name, '" + m.group() + "', in: " + text);
  }
}
