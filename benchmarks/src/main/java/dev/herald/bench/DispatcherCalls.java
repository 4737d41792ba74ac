package dev.herald.bench;

import dev.herald.Store;
import dev.herald.spi.ClaimWant;
import dev.herald.spi.ClaimedTask;
import dev.herald.spi.TaskClaimBatchParams;
import dev.herald.spi.TaskStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import reactor.core.publisher.Flux;

/**
 * Measures the dispatcher's claim and acknowledgement cadence from outside the engine: a store
 * wrapper that times every {@code taskClaimBatch} and {@code taskCompleteMany} (subscription to
 * completion) and counts the rows each returned. What limits the dispatcher's rate shows here:
 * claims per second, rows per claim, and how long each round trip took.
 */
final class DispatcherCalls {

  private final Call claims = new Call();
  private final Call acks = new Call();
  private final Positions positions = new Positions();

  /**
   * Prints, every {@code seconds}, how claims used their positions: sweeps and positioned claims,
   * rows asked for and found, empty ones, and how far behind the wall clock positions and {@code
   * openSince} were (the largest seen).
   */
  void trace(String label, int seconds) {
    Thread t =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  Thread.sleep(seconds * 1000L);
                } catch (InterruptedException e) {
                  return;
                }
                System.err.println(
                    "[positions] "
                        + label
                        + ": "
                        + positions.drain()
                        + "; claims "
                        + claims.drainInterval()
                        + "; acknowledgements "
                        + acks.drainInterval());
              }
            },
            "positions-trace");
    t.setDaemon(true);
    t.start();
  }

  /** Wraps a store; every other operation passes through untouched. */
  Store wrap(Store store) {
    TaskStore operations = Traced.operations(store);
    return new Traced(
        (TaskStore)
            Proxy.newProxyInstance(
                TaskStore.class.getClassLoader(),
                new Class<?>[] {TaskStore.class},
                (proxy, method, args) -> {
                  Object result;
                  try {
                    result = method.invoke(operations, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                  return switch (method.getName()) {
                    case "taskClaimBatch" ->
                        positions.watch(
                            (TaskClaimBatchParams) args[0], claims.time((Flux<?>) result));
                    case "taskCompleteMany" -> acks.time((Flux<?>) result);
                    default -> result;
                  };
                }));
  }

  /** A store over traced operations. */
  private static final class Traced extends Store {
    Traced(TaskStore operations) {
      super(operations);
    }

    static TaskStore operations(Store store) {
      return operationsOf(store);
    }
  }

  /** One line: claims and acknowledgements, count, rows per call, latency p50 / p99 / max. */
  String summary(double seconds) {
    return "claims " + claims.summary(seconds) + "; acknowledgements " + acks.summary(seconds);
  }

  /** Claim positions as the dispatcher sends them, counted between two traces. */
  private static final class Positions {
    final AtomicLong sweeps = new AtomicLong();
    final AtomicLong positioned = new AtomicLong();
    final AtomicLong asked = new AtomicLong();
    final AtomicLong found = new AtomicLong();
    final AtomicLong empty = new AtomicLong();
    final AtomicLong maxPositionLagMs = new AtomicLong();
    final AtomicLong maxOpenLagMs = new AtomicLong();

    Flux<?> watch(TaskClaimBatchParams p, Flux<?> call) {
      boolean sweep = p.wants().stream().anyMatch(w -> w.since() == null);
      (sweep ? sweeps : positioned).incrementAndGet();
      long now = System.currentTimeMillis();
      for (ClaimWant w : p.wants()) {
        asked.addAndGet(w.limit());
        if (w.since() != null) {
          maxPositionLagMs.accumulateAndGet(now - w.since().toEpochMilli(), Math::max);
        }
      }
      AtomicLong n = new AtomicLong();
      return call.doOnNext(
              x -> {
                n.incrementAndGet();
                ClaimedTask t = (ClaimedTask) x;
                maxOpenLagMs.accumulateAndGet(
                    System.currentTimeMillis() - t.openSince().toEpochMilli(), Math::max);
              })
          .doOnComplete(
              () -> {
                found.addAndGet(n.get());
                if (n.get() == 0) {
                  empty.incrementAndGet();
                }
              });
    }

    String drain() {
      return String.format(
          Locale.ROOT,
          "sweeps %d, positioned %d, asked %d, found %d, empty %d, max position lag %d ms,"
              + " max openSince lag %d ms",
          sweeps.getAndSet(0),
          positioned.getAndSet(0),
          asked.getAndSet(0),
          found.getAndSet(0),
          empty.getAndSet(0),
          maxPositionLagMs.getAndSet(0),
          maxOpenLagMs.getAndSet(0));
    }
  }

  private static final class Call {
    final Histogram micros = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
    final AtomicLong calls = new AtomicLong();
    final AtomicLong rows = new AtomicLong();
    final AtomicLong intervalCalls = new AtomicLong();
    final AtomicLong intervalMaxMicros = new AtomicLong();
    final AtomicLong intervalSumMicros = new AtomicLong();
    final AtomicLong inFlight = new AtomicLong();
    final AtomicLong intervalMaxInFlight = new AtomicLong();

    String drainInterval() {
      long c = intervalCalls.getAndSet(0);
      return String.format(
          Locale.ROOT,
          "%d, mean %.1f ms, max %.1f ms, max in flight %d",
          c,
          c == 0 ? 0.0 : intervalSumMicros.getAndSet(0) / 1000.0 / c,
          intervalMaxMicros.getAndSet(0) / 1000.0,
          intervalMaxInFlight.getAndSet(inFlight.get()));
    }

    Flux<?> time(Flux<?> call) {
      return Flux.defer(
          () -> {
            long start = System.nanoTime();
            AtomicLong n = new AtomicLong();
            intervalMaxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            return call.doOnNext(x -> n.incrementAndGet())
                // Before the signal travels on (unlike doFinally): the dispatcher plans its next
                // claim while it handles this one's completion, which must not count as overlap.
                .doOnTerminate(inFlight::decrementAndGet)
                .doOnCancel(inFlight::decrementAndGet)
                .doOnComplete(
                    () -> {
                      long us = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
                      intervalCalls.incrementAndGet();
                      intervalSumMicros.addAndGet(us);
                      intervalMaxMicros.accumulateAndGet(us, Math::max);
                      micros.recordValue(
                          Math.min(
                              micros.getHighestTrackableValue(),
                              TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start)));
                      calls.incrementAndGet();
                      rows.addAndGet(n.get());
                    });
          });
    }

    String summary(double seconds) {
      long c = calls.get();
      return String.format(
          Locale.ROOT,
          "%d (%.0f/s), %.1f rows each, %.2f / %.2f / %.2f ms",
          c,
          c / seconds,
          c == 0 ? 0.0 : (double) rows.get() / c,
          micros.getValueAtPercentile(50) / 1000.0,
          micros.getValueAtPercentile(99) / 1000.0,
          micros.getMaxValue() / 1000.0);
    }
  }
}
