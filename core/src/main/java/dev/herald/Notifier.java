package dev.herald;

import dev.herald.spi.TaskNotifyParams;
import dev.herald.spi.TaskStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;

/**
 * Wakes other processes after commits it observed, with at most one {@code NOTIFY} per window: the
 * first commit after a quiet window notifies at once; commits within the window are covered by one
 * trailing notification at its end. So every observed commit is followed by a notification within
 * one window, a rolled-back send never spends the window, and no sending transaction takes
 * PostgreSQL's notification lock.
 */
final class Notifier {

  private static final Logger log = LoggerFactory.getLogger(Notifier.class);

  private final TaskStore store;
  private final StoreCalls calls;
  private final Scheduler scheduler;
  private final long windowNanos;
  private final TaskNotifyParams params;
  private long lastSent = Long.MIN_VALUE;
  private boolean trailing;
  private boolean stopped;

  Notifier(TaskStore store, StoreCalls calls, Scheduler scheduler, Duration window) {
    this.store = store;
    this.calls = calls;
    this.scheduler = scheduler;
    this.windowNanos = window.toNanos();
    this.params = new TaskNotifyParams(store.channel());
  }

  /** A sending transaction committed. */
  void committed() {
    long wait;
    synchronized (this) {
      if (stopped || trailing) {
        return;
      }
      long now = System.nanoTime();
      if (lastSent == Long.MIN_VALUE || now - lastSent >= windowNanos) {
        lastSent = now;
        wait = 0;
      } else {
        trailing = true;
        wait = windowNanos - (now - lastSent);
      }
    }
    if (wait == 0) {
      send();
    } else {
      scheduler.schedule(this::sendTrailing, wait, TimeUnit.NANOSECONDS);
    }
  }

  synchronized void stop() {
    stopped = true;
  }

  private void sendTrailing() {
    synchronized (this) {
      trailing = false;
      lastSent = System.nanoTime();
      if (stopped) {
        return;
      }
    }
    send();
  }

  private void send() {
    calls
        .limit("taskNotify", store.taskNotify(params))
        .subscribe(
            null,
            e ->
                log.warn(
                    "Herald could not notify other dispatchers; they will find the tasks by"
                        + " polling: {}",
                    e.toString()));
  }
}
