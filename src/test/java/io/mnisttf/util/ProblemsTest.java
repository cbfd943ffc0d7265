package io.mnisttf.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mnisttf.testing.UserText;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProblemsTest {
  static List<Arguments> problems() {
    return List.of(
        Arguments.of(new NoSuchFileException("/data/x.gz"), "no such file: /data/x.gz"),
        Arguments.of(new AccessDeniedException("/runs/a", null, "Permission denied"), "permission denied: /runs/a"),
        Arguments.of(new FileAlreadyExistsException("/m/1"), "already exists: /m/1"),
        Arguments.of(new DirectoryNotEmptyException("/m/1"), "folder not empty: /m/1"),
        Arguments.of(new NotDirectoryException("/m/x"), "not a folder: /m/x"),
        Arguments.of(new AtomicMoveNotSupportedException("/a", "/b", "Invalid cross-device link"),
            "cannot be moved atomically: /a -> /b (Invalid cross-device link)"),
        Arguments.of(new FileSystemException("/ro/f", null, "Read-only file system"), "Read-only file system: /ro/f"),
        Arguments.of(new FileSystemException("/f"), "file system error: /f"),
        Arguments.of(new EOFException(), "unexpected end of data"),
        Arguments.of(new EOFException("Unexpected end of ZLIB input stream"), "Unexpected end of ZLIB input stream"),
        Arguments.of(new IOException(new ZipException("invalid block type")), "invalid block type"),
        Arguments.of(new RuntimeException(new EOFException()), "unexpected end of data"),
        Arguments.of(new UncheckedIOException(new NoSuchFileException("/logs/t")), "no such file: /logs/t"),
        Arguments.of(new UncheckedIOException("/logs/t", new NoSuchFileException("/logs/t")), "no such file: /logs/t"),
        Arguments.of(new IOException("/logs/t: disk full", new IOException("No space left on device")),
            "/logs/t: disk full"),
        Arguments.of(new IllegalArgumentException("first line\n\tsecond line"), "first line"),
        Arguments.of(new OutOfMemoryError(), "out of memory"),
        Arguments.of(new IllegalStateException(), "failed without saying why"),
        Arguments.of(new IllegalStateException("  "), "failed without saying why"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("problems")
  void namesTheProblemNotTheClass(Throwable e, String expected) {
    String described = Problems.describe(e);
    assertEquals(expected, described);
    UserText.assertNoJavaNames(described);
  }

  @Test
  void classNamesThatWrappedCausesPutInAMessageAreDropped() {
    assertEquals("Invalid value for option '--data': cannot convert 'x' to Path (Nul character not allowed)",
        Problems.firstLine("Invalid value for option '--data': cannot convert 'x' to Path "
            + "(java.nio.file.InvalidPathException: Nul character not allowed)"));
    assertEquals("bad header", Problems.firstLine("java.io.IOException: java.util.zip.ZipException: bad header"));
    assertEquals("", Problems.firstLine("java.io.EOFException"));
    assertEquals("", Problems.firstLine(null));
  }
}
