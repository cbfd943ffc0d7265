package io.mnisttf.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Resident memory of a process as Linux reports it in /proc; empty elsewhere. */
public final class ProcessMemory {
  private ProcessMemory() {}

  /** This process's peak resident set size (VmHWM), in bytes. */
  public static OptionalLong peakRssBytes() {
    return read(ProcessHandle.current().pid(), "VmHWM:");
  }

  /** A process's current resident set size (VmRSS), in bytes. */
  public static OptionalLong rssBytes(long pid) {
    return read(pid, "VmRSS:");
  }

  private static OptionalLong read(long pid, String field) {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith(field)) {
          String[] parts = line.substring(field.length()).trim().split("\\s+");
          return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
        }
      }
    } catch (IOException | RuntimeException unavailable) {
      // not Linux, or the process is gone
    }
    return OptionalLong.empty();
  }
}
