package dev.herald.bench;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The timing pieces of the open-loop workloads ({@link OpenLoop}, {@link Soak}): the open loop
 * itself, a fixed-rate sampler thread, and the JIT warm-up before a run.
 */
final class Pace {

  private Pace() {}

  /**
   * The open loop itself: send {@code i} (from 0) is started at {@code t0 + i * periodNanos}
   * whatever happened to earlier sends; {@code send} must not block.
   *
   * @return the largest lag of a send behind its due time, in nanoseconds
   */
  static long open(long t0, long periodNanos, long count, LongConsumer send) {
    long maxLagNanos = 0;
    for (long i = 0; i < count; i++) {
      long due = t0 + i * periodNanos;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      maxLagNanos = Math.max(maxLagNanos, System.nanoTime() - due);
      send.accept(i);
    }
    return maxLagNanos;
  }

  /**
   * A daemon thread that calls {@code tick} with the time elapsed since {@code t0} at {@code t0 +
   * periodNanos}, {@code t0 + 2 * periodNanos}, … until interrupted (a slow tick delays the next
   * one, never skips it).
   */
  static Thread every(String name, long t0, long periodNanos, LongConsumer tick) {
    Thread t =
        new Thread(
            () -> {
              long next = t0;
              while (!Thread.currentThread().isInterrupted()) {
                LockSupport.parkNanos(next - System.nanoTime());
                if (Thread.currentThread().isInterrupted()) {
                  return;
                }
                tick.accept(next - t0);
                next += periodNanos;
              }
            },
            name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * JIT warm-up: {@code sends} sends as fast as 16 concurrent callers go, with sequence numbers
   * from {@code firstSeq}, then waits until {@code received} counts them all.
   *
   * @throws IllegalStateException if they are not all received within the timeout
   */
  static void warmUp(
      OpenLoop.Sender sender,
      int sends,
      long firstSeq,
      LongSupplier received,
      Consumer<Throwable> failed,
      int timeoutSeconds)
      throws InterruptedException {
    Semaphore inFlight = new Semaphore(16);
    AtomicLong failures = new AtomicLong();
    for (int i = 0; i < sends; i++) {
      inFlight.acquire();
      sender.send(
          firstSeq + i,
          inFlight::release,
          e -> {
            inFlight.release();
            failures.incrementAndGet();
            failed.accept(e);
          });
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (received.getAsLong() + failures.get() < sends && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    if (received.getAsLong() < sends) {
      throw new IllegalStateException(
          "warm-up incomplete: " + received.getAsLong() + " of " + sends + " received");
    }
  }
}
