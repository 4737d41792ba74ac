package dev.herald.bench;

import java.util.function.LongSupplier;

/** Waiting for a consumer that reads a destination back to have read all of it. */
final class ReadBack {

  private static final long QUIET_NANOS = 1_000_000_000L;
  private static final long GIVE_UP_NANOS = 10_000_000_000L;

  private ReadBack() {}

  /**
   * Returns once {@code count} reached {@code expected} and then stayed put for a second (late
   * duplicates), or once it stayed put for 10 seconds short of it.
   */
  static void settle(LongSupplier count, long expected) throws InterruptedException {
    long last = -1;
    long since = System.nanoTime();
    while (true) {
      long now = count.getAsLong();
      if (now != last) {
        last = now;
        since = System.nanoTime();
      }
      long quiet = System.nanoTime() - since;
      if ((now >= expected && quiet >= QUIET_NANOS) || quiet >= GIVE_UP_NANOS) {
        return;
      }
      Thread.sleep(20);
    }
  }
}
