package io.mnisttf.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SerialWritesTest {
  @Test
  void writesRunInTheOrderQueuedOnAnotherThreadAndAwaitWaitsForAll() throws IOException {
    SerialWrites writes = new SerialWrites("test-writer");
    List<Integer> done = new ArrayList<>();
    List<String> threads = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int n = i;
      writes.submit(() -> {
        done.add(n);
        threads.add(Thread.currentThread().getName());
      });
    }
    writes.await();
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      expected.add(i);
    }
    assertEquals(expected, done);
    assertEquals(List.of("test-writer"), threads.stream().distinct().toList());
    assertNotEquals(Thread.currentThread().getName(), threads.get(0));
  }

  @Test
  void submitReturnsWhileAWriteIsStillRunning() throws Exception {
    SerialWrites writes = new SerialWrites("test-writer");
    CountDownLatch release = new CountDownLatch(1);
    writes.submit(() -> {
      try {
        if (!release.await(10, TimeUnit.SECONDS)) {
          throw new IOException("submit waited for the write it queued");
        }
      } catch (InterruptedException e) {
        throw new InterruptedIOException();
      }
    });
    writes.submit(() -> { }); // queued behind the blocked write, without waiting for it
    release.countDown();
    writes.await();
  }

  @Test
  void theFirstFailureStopsLaterWritesAndIsThrownByTheNextSubmitAndAwait() throws IOException {
    SerialWrites writes = new SerialWrites("test-writer");
    IOException broken = new IOException("disk full");
    List<String> done = new ArrayList<>();
    CountDownLatch queued = new CountDownLatch(1);
    writes.submit(() -> { // holds the writer until all three are queued, so that no submit sees the failure yet
      try {
        queued.await();
      } catch (InterruptedException e) {
        throw new InterruptedIOException();
      }
      done.add("first");
    });
    writes.submit(() -> {
      throw broken;
    });
    writes.submit(() -> done.add("after the failure"));
    queued.countDown();
    assertSame(broken, assertThrows(IOException.class, writes::await));
    assertSame(broken, assertThrows(IOException.class, () -> writes.submit(() -> done.add("later"))));
    assertEquals(List.of("first"), done);
  }

  @Test
  void anUncheckedFailureIsThrownAsItIs() throws IOException {
    SerialWrites writes = new SerialWrites("test-writer");
    IllegalStateException broken = new IllegalStateException("no");
    writes.submit(() -> {
      throw broken;
    });
    assertSame(broken, assertThrows(IllegalStateException.class, writes::await));
  }
}
