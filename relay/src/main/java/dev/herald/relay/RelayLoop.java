package dev.herald.relay;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * The one thread of a relay that calls its broker client, and the confirm deadlines of its
 * publishes.
 *
 * <p>The clients write to sockets or take locks in their publish calls (amqp-client's channel,
 * jnats' outgoing queue, a Kafka producer waiting for metadata), which must never happen on an
 * event loop; one thread per relay also keeps a channel's publishes, and so its confirm sequence
 * numbers, in one order. Publishes reach it through a lock-free queue that the thread drains in
 * bursts: a dispatcher hands over hundreds of deliveries at once, and waking a thread (or taking an
 * executor's lock) once per message cost more than the publish itself (benchmarks/README.md, relay
 * drain). The thread is a scheduled executor because handing it work from an event loop is allowed
 * by Reactor's BlockHound integration (its queue's lock is), where a plain executor's queue lock is
 * not; it is only handed work when its queue was empty.
 *
 * <p>Every publish waits for its broker's confirmation with the same timeout, so their deadlines
 * come in the order they were subscribed: one queue holds them, and a periodic check on the same
 * thread fails the expired ones at its head. That replaces a timer per publish scheduled and
 * cancelled on a shared scheduler, which cost as much again.
 *
 * <p>Both queues are bounded: a publish is one running attempt, so the thread's queue holds at most
 * the receivers' concurrency; the deadline queue holds those and, behind an older publish still
 * unconfirmed, the ones settled since (a few fields each, their sink and delivery dropped), at most
 * what the relay settles within one confirm timeout.
 */
final class RelayLoop {

  // Publishes handed to the client per turn of the thread, so the deadline check is not starved
  // while deliveries keep coming.
  private static final int BURST = 256;
  private static final AtomicInteger COUNT = new AtomicInteger();

  private final ScheduledExecutorService thread;
  private final Duration timeout;
  private final long timeoutNanos;
  private final Queue<Flight> submitted = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
  private final Queue<Flight> deadlines = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;

  RelayLoop(String broker, Duration timeout) {
    this.timeout = timeout;
    this.timeoutNanos = timeout.toNanos();
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "herald-relay-" + broker + "-" + COUNT.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    // A tenth of the timeout, within [1 ms, 100 ms]: a publish fails at most that late.
    long period =
        Math.max(
            TimeUnit.MILLISECONDS.toNanos(1),
            Math.min(timeoutNanos / 10, TimeUnit.MILLISECONDS.toNanos(100)));
    thread.scheduleWithFixedDelay(this::expire, period, period, TimeUnit.NANOSECONDS);
  }

  /**
   * A publish: on subscription the flight joins the deadline queue and the thread's queue; the
   * {@code Mono} ends when the flight settles, and cancelling it settles the flight.
   */
  Mono<Void> publish(Supplier<? extends Flight> flights) {
    return Mono.create(
        sink -> {
          Flight f = flights.get();
          f.bind(sink, System.nanoTime() + timeoutNanos);
          sink.onCancel(f::cancel);
          if (closed) {
            f.fail(closedBeforeConfirm(f));
            return;
          }
          deadlines.offer(f);
          submitted.offer(f);
          if (wip.getAndIncrement() == 0) {
            run(() -> drain(1));
          }
        });
  }

  // On the relay's thread only. `missed` counts the hand-overs this turn answers for.
  private void drain(int missed) {
    int sent = 0;
    for (; ; ) {
      Flight f;
      while ((f = submitted.poll()) != null) {
        if (f.settled()) {
          continue; // cancelled or timed out while it waited: publishing it would help nobody
        }
        if (System.nanoTime() - f.deadline() >= 0) {
          // Waited past its deadline behind a client call that blocked (a Kafka producer waiting
          // for metadata): fail it now rather than publish what nobody waits for.
          f.fail(timedOut(f));
        } else {
          f.send();
        }
        if (++sent == BURST) {
          int carried = missed;
          run(() -> drain(carried));
          return;
        }
      }
      missed = wip.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
    }
  }

  // On the relay's thread, periodically.
  private void expire() {
    long now = System.nanoTime();
    Flight f;
    while ((f = deadlines.peek()) != null) {
      if (!f.settled() && now - f.deadline() < 0) {
        return;
      }
      deadlines.poll();
      f.fail(timedOut(f));
    }
  }

  private RelayException timedOut(Flight f) {
    return Failures.timedOut(f.destination, f.taskId, timeout);
  }

  private void run(Runnable turn) {
    try {
      thread.execute(turn);
    } catch (RejectedExecutionException closing) {
      failAll(submitted);
    }
  }

  /**
   * Stops the thread and fails every publish not yet confirmed at once: they are retried by Herald,
   * and a confirm that arrives later finds them settled.
   */
  void close() {
    closed = true;
    thread.shutdown();
    failAll(submitted);
    failAll(deadlines);
  }

  private void failAll(Queue<Flight> flights) {
    Flight f;
    while ((f = flights.poll()) != null) {
      f.fail(closedBeforeConfirm(f));
    }
  }

  private static RelayException closedBeforeConfirm(Flight f) {
    return Failures.refused(
        f.destination, f.taskId, "the relay closed before the broker confirmed");
  }
}
