package io.mnisttf.cli.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TerminalTest {
  /** Stands in for JDK 22's {@code Console}, whose {@code isTerminal()} this JDK may not have. */
  public static final class FakeConsole {
    private final boolean terminal;

    FakeConsole(boolean terminal) {
      this.terminal = terminal;
    }

    public boolean isTerminal() {
      return terminal;
    }
  }

  /** A console whose {@code isTerminal()} fails. */
  public static final class BrokenConsole {
    public boolean isTerminal() {
      throw new IllegalStateException("no terminal information");
    }
  }

  @Test
  void aConsoleMeansATerminalBeforeJdk22AndIsTerminalDecidesFromJdk22() {
    assertFalse(Terminal.isInteractive(false, Optional.empty(), "xterm"), "no console: a pipe or a file");
    assertTrue(Terminal.isInteractive(true, Optional.empty(), "xterm"), "JDK 17-21: a console is a terminal");
    assertTrue(Terminal.isInteractive(true, Optional.empty(), null), "TERM unset (Windows consoles)");
    assertFalse(Terminal.isInteractive(true, Optional.of(false), "xterm"), "JDK 22+: a console over a pipe");
    assertTrue(Terminal.isInteractive(true, Optional.of(true), "xterm-256color"));
  }

  @Test
  void aDumbTerminalIsNotInteractive() {
    assertFalse(Terminal.isInteractive(true, Optional.empty(), "dumb"));
    assertFalse(Terminal.isInteractive(true, Optional.of(true), "dumb"));
  }

  @Test
  void isTerminalIsCalledReflectivelyWhereItExists() {
    Optional<Method> fake = Terminal.isTerminalMethod(FakeConsole.class);
    assertTrue(fake.isPresent());
    assertEquals(Optional.of(true), Terminal.isTerminal(new FakeConsole(true), fake));
    assertEquals(Optional.of(false), Terminal.isTerminal(new FakeConsole(false), fake));
    assertEquals(Optional.of(false), Terminal.isTerminal(new BrokenConsole(),
        Terminal.isTerminalMethod(BrokenConsole.class)), "a failing call proves nothing: no terminal");
    assertEquals(Optional.empty(), Terminal.isTerminalMethod(String.class));
    assertEquals(Optional.empty(), Terminal.isTerminal("no such method", Optional.empty()));
    assertEquals(Runtime.version().feature() >= 22, Terminal.isTerminalMethod(Console.class).isPresent(),
        "java.io.Console has isTerminal() from JDK 22 on");
  }

  @Test
  void theTestJvmWritesToAPipeNotATerminal() {
    assertFalse(Terminal.isInteractive(), "surefire pipes the output of the JVM that runs the tests");
  }
}
