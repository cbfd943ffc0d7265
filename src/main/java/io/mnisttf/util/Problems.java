package io.mnisttf.util;

import java.io.EOFException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Words an exception for the person at the terminal: what went wrong, in one line, never a Java class name.
 *
 * <p>The JDK's own messages are often no sentence: a {@link NoSuchFileException}'s message is only the path,
 * an {@link EOFException} usually has none, and an exception built from a cause carries the cause's class name
 * ({@code java.util.zip.ZipException: invalid block type}). {@link #describe} says the problem instead:
 * {@code no such file: /data/x.gz}, {@code unexpected end of data}, {@code invalid block type}.
 */
public final class Problems {
  /**
   * A qualified exception class name before its message, as {@code Throwable.toString()} writes it
   * ({@code java.io.EOFException: }), which libraries quote when they wrap a cause.
   */
  private static final Pattern CLASS_PREFIX = Pattern.compile(
      "\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)(?::\\s*|$)");

  /** Wordings of the file system's exceptions, whose reason is often empty and whose message is a path. */
  private static final List<Map.Entry<Class<? extends Throwable>, String>> FILE_KINDS = List.of(
      Map.entry(NoSuchFileException.class, "no such file"),
      Map.entry(AccessDeniedException.class, "permission denied"),
      Map.entry(FileAlreadyExistsException.class, "already exists"),
      Map.entry(DirectoryNotEmptyException.class, "folder not empty"),
      Map.entry(NotDirectoryException.class, "not a folder"),
      Map.entry(NotLinkException.class, "not a symbolic link"),
      Map.entry(AtomicMoveNotSupportedException.class, "cannot be moved atomically"),
      Map.entry(FileSystemLoopException.class, "symbolic link loop"));

  /** Wordings of exceptions that often come without a message. */
  private static final List<Map.Entry<Class<? extends Throwable>, String>> KINDS = List.of(
      Map.entry(EOFException.class, "unexpected end of data"),
      Map.entry(OutOfMemoryError.class, "out of memory"),
      Map.entry(StackOverflowError.class, "too deeply nested (stack overflow)"),
      Map.entry(InterruptedException.class, "interrupted"));

  private Problems() {}

  /** One line that says what went wrong: the first line of the message, or a wording of the exception's kind. */
  public static String describe(Throwable e) {
    String line = firstLine(e.getMessage());
    Throwable cause = e.getCause();
    if (cause != null && cause != e && (line.isEmpty() || line.equals(firstLine(cause.getMessage())))) {
      return describe(cause); // a wrapper that only repeats its cause, such as new UncheckedIOException(cause)
    }
    if (e instanceof FileSystemException fs) {
      return describe(fs);
    }
    if (!line.isEmpty()) {
      return line;
    }
    return wording(KINDS, e, "failed without saying why");
  }

  /** The first line of {@code message}, without the class names that wrapped causes put in it. */
  public static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    String line = (newline < 0 ? message : message.substring(0, newline)).strip();
    return CLASS_PREFIX.matcher(line).replaceAll("").strip();
  }

  /** The file, the other file of a move or link, and what happened to them. */
  private static String describe(FileSystemException e) {
    String what = kind(e);
    String reason = firstLine(e.getReason());
    String files = e.getFile() == null ? "" : e.getFile() + (e.getOtherFile() == null ? "" : " -> " + e.getOtherFile());
    StringBuilder line = new StringBuilder(what);
    if (!files.isEmpty()) {
      line.append(": ").append(files);
    }
    if (!reason.isEmpty() && !reason.equalsIgnoreCase(what)) {
      line.append(" (").append(reason).append(')');
    }
    return line.toString();
  }

  private static String kind(FileSystemException e) {
    String reason = firstLine(e.getReason());
    return wording(FILE_KINDS, e, reason.isEmpty() ? "file system error" : reason);
  }

  private static String wording(List<Map.Entry<Class<? extends Throwable>, String>> kinds, Throwable e,
      String otherwise) {
    return kinds.stream().filter(kind -> kind.getKey().isInstance(e)).map(Map.Entry::getValue).findFirst()
        .orElse(otherwise);
  }
}
