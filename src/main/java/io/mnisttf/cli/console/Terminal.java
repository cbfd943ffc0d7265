package io.mnisttf.cli.console;

import java.io.Console;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Whether the output is an interactive terminal, where a live progress bar may redraw its line; anywhere else
 * (CI logs, pipes, files) a bar would flood the output with one copy per redraw.
 *
 * <p>Up to JDK 21, {@link System#console()} is {@code null} unless standard input and output are both a
 * terminal. From JDK 22 on it returns a console for pipes too, and {@code Console.isTerminal()} (JDK 22) tells
 * the two apart; this class compiles for Java 17, so it calls that method reflectively where it exists.
 * {@code TERM=dumb} (Emacs shells, some CI runners) counts as not interactive.
 */
public final class Terminal {
  private static final Optional<Method> IS_TERMINAL = isTerminalMethod(Console.class);

  private Terminal() {}

  /** Whether this process's standard input and output are an interactive terminal. */
  public static boolean isInteractive() {
    Console console = System.console();
    return isInteractive(console != null, console == null ? Optional.empty() : isTerminal(console, IS_TERMINAL),
        System.getenv("TERM"));
  }

  /**
   * The decision itself.
   *
   * @param hasConsole whether {@link System#console()} returned a console
   * @param isTerminal what {@code Console.isTerminal()} answered; empty before JDK 22, where having a console
   *     already means a terminal
   * @param term the {@code TERM} environment variable, or {@code null} when it is not set
   */
  static boolean isInteractive(boolean hasConsole, Optional<Boolean> isTerminal, String term) {
    if (!hasConsole || "dumb".equals(term)) {
      return false;
    }
    return isTerminal.orElse(true);
  }

  /** {@code type}'s public no-argument {@code isTerminal()} method, if it has one. */
  static Optional<Method> isTerminalMethod(Class<?> type) {
    try {
      Method method = type.getMethod("isTerminal");
      return method.getReturnType() == boolean.class ? Optional.of(method) : Optional.empty();
    } catch (NoSuchMethodException beforeJdk22) {
      return Optional.empty();
    }
  }

  /**
   * What {@code method} answers for {@code console}: empty without the method; false when calling it fails
   * (then having a console proves nothing).
   */
  static Optional<Boolean> isTerminal(Object console, Optional<Method> method) {
    if (method.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of((Boolean) method.get().invoke(console));
    } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
      return Optional.of(false);
    }
  }
}
