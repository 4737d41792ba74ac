package dev.herald;

import java.time.Duration;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Wakes the dispatcher when tasks it knows of come due (retries it scheduled), with one timer for
 * the earliest due time instead of one per task. Remembers at most {@value #MAX_KNOWN} due times,
 * the earliest ones: polling finds any others.
 */
final class DueTimer {

  static final int MAX_KNOWN = 1024;

  private final Scheduler scheduler;
  private final Runnable wake;
  private final TreeSet<Long> due = new TreeSet<>();
  private Disposable timer;
  private long timerAt = Long.MAX_VALUE;
  private boolean stopped;

  DueTimer(Scheduler scheduler, Runnable wake) {
    this.scheduler = scheduler;
    this.wake = wake;
  }

  /** Wakes the dispatcher once {@code delay} has passed (a zero delay wakes it at once). */
  void wakeAfter(Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      wake.run();
      return;
    }
    synchronized (this) {
      if (stopped) {
        return;
      }
      due.add(now() + delay.toMillis());
      if (due.size() > MAX_KNOWN) {
        due.pollLast();
      }
      arm();
    }
  }

  synchronized void stop() {
    stopped = true;
    due.clear();
    if (timer != null) {
      timer.dispose();
    }
  }

  // Guarded by this.
  private void arm() {
    if (due.isEmpty()) {
      return;
    }
    long first = due.first();
    if (timer != null && !timer.isDisposed() && timerAt <= first) {
      return;
    }
    if (timer != null) {
      timer.dispose();
    }
    timerAt = first;
    timer = scheduler.schedule(this::fire, Math.max(0, first - now()), TimeUnit.MILLISECONDS);
  }

  private void fire() {
    synchronized (this) {
      if (stopped) {
        return;
      }
      long now = now();
      while (!due.isEmpty() && due.first() <= now) {
        due.pollFirst();
      }
      timer = null;
      timerAt = Long.MAX_VALUE;
      arm();
    }
    wake.run();
  }

  private long now() {
    return scheduler.now(TimeUnit.MILLISECONDS);
  }
}
