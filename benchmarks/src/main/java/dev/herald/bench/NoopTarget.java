package dev.herald.bench;

import dev.herald.Receiver;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/**
 * No broker: the no-op receiver the relays' drains are compared with, or ({@code late}) one that
 * does nothing and completes some milliseconds later on a timer thread, as a broker's confirm
 * would: what the engine itself costs with receivers that complete later and elsewhere.
 */
final class NoopTarget implements RelayTarget {

  /** How much later the {@code late} receiver completes. */
  static final String LATE_PROPERTY = "herald.bench.relay.lateMillis";

  private final Duration late;

  private NoopTarget(Duration late) {
    this.late = late;
  }

  static NoopTarget now() {
    return new NoopTarget(Duration.ZERO);
  }

  static NoopTarget late() {
    return new NoopTarget(Duration.ofMillis(Long.getLong(LATE_PROPERTY, 5)));
  }

  @Override
  public Destination destination(String name) {
    AtomicLong calls = new AtomicLong();
    return new Destination() {
      @Override
      public Receiver<OrderPlaced> receiver() {
        return d -> {
          calls.incrementAndGet();
          return late.isZero() ? Mono.empty() : Mono.delay(late).then();
        };
      }

      @Override
      public Arrived readBack(long expected) {
        // Nothing to read back: the table being empty says every task was acknowledged.
        return new Arrived(calls.get(), calls.get());
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public String describe() {
    return late.isZero()
        ? "no broker: a receiver that returns Mono.empty()"
        : "no broker: a receiver that completes "
            + late.toMillis()
            + " ms later (Mono.delay, Reactor's parallel timer)";
  }

  @Override
  public void close() {}
}
