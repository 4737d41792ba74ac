package dev.herald;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes engine events without letting subscribers touch the engine's threads: emitting only
 * offers the event to each subscriber's bounded queue; every subscriber consumes on a worker of its
 * own. A subscriber that falls {@value #PER_SUBSCRIBER} events behind misses the next ones instead
 * of slowing the engine.
 */
final class EventBus {

  static final int PER_SUBSCRIBER = 8192;

  // directBestEffort: a subscriber whose queue is full is skipped, the others still get the event.
  private final Sinks.Many<HeraldEvent> sink = Sinks.unsafe().many().multicast().directBestEffort();

  void emit(HeraldEvent event) {
    // The unsafe sink needs serialized emission; the lock covers a queue offer per subscriber.
    synchronized (sink) {
      sink.tryEmitNext(event);
    }
  }

  Flux<HeraldEvent> flux() {
    // boundedElastic: subscribers may log or block; resolved per subscription so that tests
    // running under virtual time get the virtual scheduler.
    return Flux.defer(
        () -> sink.asFlux().publishOn(Schedulers.boundedElastic(), false, PER_SUBSCRIBER));
  }
}
