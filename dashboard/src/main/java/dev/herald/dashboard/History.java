package dev.herald.dashboard;

import dev.herald.HeraldEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recent throughput and failures per receiver, sampled in memory from {@code Herald.events()}: a
 * ring of fixed time buckets per (signal, receiver), so memory is bounded by {@code buckets} times
 * the number of pairs (at most {@link #MAX_PAIRS}; later pairs are not tracked).
 */
final class History {

  static final int MAX_PAIRS = 1_000;

  private final Clock clock;
  private final long bucketMillis;
  private final int buckets;
  private final Map<String, Series> series = new ConcurrentHashMap<>();

  History(Clock clock, Duration bucket, int buckets) {
    this.clock = clock;
    this.bucketMillis = bucket.toMillis();
    this.buckets = buckets;
  }

  void record(HeraldEvent event) {
    boolean delivered = event instanceof HeraldEvent.Delivered;
    boolean failed =
        event instanceof HeraldEvent.Retried || event instanceof HeraldEvent.DeadLettered;
    if (!delivered && !failed) {
      return;
    }
    String key = key(event.signal(), event.receiver());
    Series s = series.get(key);
    if (s == null) {
      if (series.size() >= MAX_PAIRS) {
        return;
      }
      s = series.computeIfAbsent(key, k -> new Series(buckets));
    }
    s.add(clock.millis() / bucketMillis, delivered);
  }

  /** Delivered and failed counts per bucket, oldest first, ending with the current bucket. */
  Window window(String signal, String receiver) {
    Series s = series.get(key(signal, receiver));
    long now = clock.millis() / bucketMillis;
    return s == null ? new Window(new long[buckets], new long[buckets]) : s.window(now);
  }

  private static String key(String signal, String receiver) {
    return signal + '\u0000' + receiver;
  }

  record Window(long[] delivered, long[] failed) {
    long totalDelivered() {
      long n = 0;
      for (long d : delivered) {
        n += d;
      }
      return n;
    }

    long totalFailed() {
      long n = 0;
      for (long f : failed) {
        n += f;
      }
      return n;
    }

    /** Failures per attempt outcome in the window, 0 to 1; 0 when nothing ran. */
    double failureRate() {
      long all = totalDelivered() + totalFailed();
      return all == 0 ? 0 : (double) totalFailed() / all;
    }
  }

  private static final class Series {
    private final long[] slot;
    private final long[] delivered;
    private final long[] failed;

    Series(int buckets) {
      slot = new long[buckets];
      delivered = new long[buckets];
      failed = new long[buckets];
    }

    synchronized void add(long bucket, boolean ok) {
      int i = (int) (bucket % slot.length);
      if (slot[i] != bucket) {
        slot[i] = bucket;
        delivered[i] = 0;
        failed[i] = 0;
      }
      if (ok) {
        delivered[i]++;
      } else {
        failed[i]++;
      }
    }

    synchronized Window window(long now) {
      int n = slot.length;
      long[] d = new long[n];
      long[] f = new long[n];
      for (int k = 0; k < n; k++) {
        long bucket = now - (n - 1 - k);
        int i = (int) (bucket % n);
        if (bucket >= 0 && slot[i] == bucket) {
          d[k] = delivered[i];
          f[k] = failed[i];
        }
      }
      return new Window(d, f);
    }
  }
}
