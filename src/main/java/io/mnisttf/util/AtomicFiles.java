package io.mnisttf.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces files whole: the content goes to a temporary file in the target's folder
 * ({@code .<name>.<random>.tmp}), is forced to disk, and is then renamed over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE}. A reader sees the old file or the new one, never part of either,
 * and a crash leaves at most a stray {@code .tmp} file, never a half-written target.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes {@code text} as UTF-8 to {@code target}, atomically. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code content} to {@code target}, atomically; the target's folder must exist. */
  public static void write(Path target, byte[] content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    try (PendingFiles.Write write = PendingFiles.process().begin()) {
      Path temp;
      try {
        temp = createTemp(dir, target.getFileName().toString(), write);
      } catch (IOException e) {
        throw new IOException(target + ": could not write (" + Problems.describe(e) + ")", e);
      }
      try {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
          ByteBuffer buffer = ByteBuffer.wrap(content);
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
          channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        Files.deleteIfExists(temp);
        throw new IOException(target + ": could not write (" + Problems.describe(e) + ")", e);
      }
    }
  }

  private static Path createTemp(Path dir, String name, PendingFiles.Write write) throws IOException {
    while (true) {
      long random = ThreadLocalRandom.current().nextLong() >>> 1;
      try {
        return write.track(Files.createFile(dir.resolve("." + name + "." + Long.toString(random, 36) + ".tmp")));
      } catch (FileAlreadyExistsException e) {
        // another writer drew the same name: draw again
      }
    }
  }
}
