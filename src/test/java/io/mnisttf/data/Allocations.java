package io.mnisttf.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.function.Executable;

/** Memory a piece of code allocates, counted by the JVM per thread: exact, and whatever the garbage collector does. */
final class Allocations {
  private Allocations() {}

  /** Bytes of heap the current thread allocates while running {@code work}. */
  static long byThisThread(Executable work) throws java.io.IOException {
    var threads = ManagementFactory.getThreadMXBean();
    assumeTrue(threads instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported()
        && t.isThreadAllocatedMemoryEnabled(), "this JVM does not count allocations per thread");
    var counter = (com.sun.management.ThreadMXBean) threads;
    long before = counter.getCurrentThreadAllocatedBytes();
    try {
      work.execute();
    } catch (java.io.IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new AssertionError(e);
    }
    return counter.getCurrentThreadAllocatedBytes() - before;
  }
}
