package dev.herald.bench;

import dev.herald.Receiver;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/** No broker: the no-op receiver the relays' drains are compared with. */
final class NoopTarget implements RelayTarget {

  @Override
  public Destination destination(String name) {
    AtomicLong calls = new AtomicLong();
    return new Destination() {
      @Override
      public Receiver<OrderPlaced> receiver() {
        return d -> {
          calls.incrementAndGet();
          return Mono.empty();
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
    return "no broker: a receiver that returns Mono.empty()";
  }

  @Override
  public void close() {}
}
