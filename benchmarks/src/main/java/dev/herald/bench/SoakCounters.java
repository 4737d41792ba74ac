package dev.herald.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** One soak phase's sends: commit instants, receiver starts, counters; shared by its threads. */
final class SoakCounters {
  final long index;
  final AtomicLongArray committed;
  final AtomicLongArray started;
  final AtomicLong sent = new AtomicLong();
  final AtomicLong committedCount = new AtomicLong();
  final AtomicLong distinct = new AtomicLong();
  final AtomicLong duplicates = new AtomicLong();
  final AtomicLong failures = new AtomicLong();
  final AtomicLong shed = new AtomicLong();
  volatile Throwable firstFailure;

  SoakCounters(long index, int total) {
    this.index = index;
    this.committed = new AtomicLongArray(total);
    this.started = new AtomicLongArray(total);
  }

  long inFlight() {
    return sent.get() - shed.get() - committedCount.get() - failures.get();
  }

  void failed(Throwable e) {
    failures.incrementAndGet();
    if (firstFailure == null) {
      firstFailure = e;
    }
  }
}
