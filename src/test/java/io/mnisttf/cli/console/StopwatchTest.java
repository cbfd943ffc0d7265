package io.mnisttf.cli.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The time since the process started, as --json's total_seconds and the epoch log's elapsed_s report it. */
class StopwatchTest {
  @Test
  void readsTheStartFromProcsFields() {
    // field 22 (starttime) is 12345 ticks; the command name holds a space and a parenthesis
    String stat = "4242 (a b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 1 0 0 20 0 12 0 12345 3000000 600 "
        + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
    assertEquals(200.0 - 123.45, Stopwatch.sinceStart(stat, "200.00 390.10\n"), 1e-9);
    assertThrows(IllegalArgumentException.class, () -> Stopwatch.sinceStart(stat, "100.00 390.10\n"));
  }

  /** Not before the JVM's own start, and not a second after it (as the boot time in whole seconds gave). */
  @Test
  void agreesWithTheJvmsUptime() {
    double before = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
    double since = new Stopwatch().sinceJvmStart();
    double after = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
    assertTrue(since >= before - 0.02, since + " s since the start, JVM uptime " + before + " s");
    assertTrue(since <= after + 0.5, since + " s since the start, JVM uptime " + after + " s");
  }
}
