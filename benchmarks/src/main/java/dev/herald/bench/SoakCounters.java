package dev.herald.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Recorder;

/**
 * One soak phase's sends: commit instants, receiver starts, counters and commit → receiver start;
 * shared by its threads. Counts are in tasks (sends), not transactions: a transaction of {@code k}
 * sends counts {@code k} sent, committed, failed or shed.
 */
final class SoakCounters {
  final long index;
  final AtomicLongArray committed;
  final AtomicLongArray started;

  /** Commit → receiver start (µs) of the receivers that started since the interval's last read. */
  final Recorder commitToStart = new Recorder(3);

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

  /** Sends {@code first} … {@code first + n - 1} of the phase committed now, in one transaction. */
  void committed(int first, int n) {
    long now = System.nanoTime();
    for (int i = first; i < first + n; i++) {
      committed.set(i, now);
    }
    committedCount.addAndGet(n);
  }

  /** A transaction of {@code n} sends failed. */
  void failed(int n, Throwable e) {
    failures.addAndGet(n);
    if (firstFailure == null) {
      firstFailure = e;
    }
  }
}
