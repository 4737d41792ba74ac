package dev.herald;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** Puts the store-call time limit on every dispatcher call, and says when one fires. */
final class StoreCalls {

  private static final Logger log = LoggerFactory.getLogger(StoreCalls.class);

  private final Duration timeout;
  private final Scheduler scheduler;
  private final EventBus events;

  StoreCalls(Duration timeout, Scheduler scheduler, EventBus events) {
    this.timeout = timeout;
    this.scheduler = scheduler;
    this.events = events;
  }

  <T> Mono<T> limit(String operation, Mono<T> call) {
    return call.timeout(timeout, scheduler).doOnError(e -> onError(operation, e));
  }

  <T> Flux<T> limit(String operation, Flux<T> call) {
    return call.timeout(timeout, scheduler).doOnError(e -> onError(operation, e));
  }

  private void onError(String operation, Throwable e) {
    if (e instanceof TimeoutException) {
      log.warn("Herald store call {} took longer than {}; abandoned", operation, timeout);
      events.emit(new HeraldEvent.StoreCallTimedOut(operation, timeout));
    }
  }
}
