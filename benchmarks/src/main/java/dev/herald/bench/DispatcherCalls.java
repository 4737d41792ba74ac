package dev.herald.bench;

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

  /** Wraps a store; every other operation passes through untouched. */
  TaskStore wrap(TaskStore store) {
    return (TaskStore)
        Proxy.newProxyInstance(
            TaskStore.class.getClassLoader(),
            new Class<?>[] {TaskStore.class},
            (proxy, method, args) -> {
              Object result;
              try {
                result = method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              return switch (method.getName()) {
                case "taskClaimBatch" -> claims.time((Flux<?>) result);
                case "taskCompleteMany" -> acks.time((Flux<?>) result);
                default -> result;
              };
            });
  }

  /** One line: claims and acknowledgements, count, rows per call, latency p50 / p99 / max. */
  String summary(double seconds) {
    return "claims " + claims.summary(seconds) + "; acknowledgements " + acks.summary(seconds);
  }

  private static final class Call {
    final Histogram micros = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
    final AtomicLong calls = new AtomicLong();
    final AtomicLong rows = new AtomicLong();

    Flux<?> time(Flux<?> call) {
      return Flux.defer(
          () -> {
            long start = System.nanoTime();
            AtomicLong n = new AtomicLong();
            return call.doOnNext(x -> n.incrementAndGet())
                .doOnComplete(
                    () -> {
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
