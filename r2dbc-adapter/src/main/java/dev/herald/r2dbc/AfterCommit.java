package dev.herald.r2dbc;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Actions to run after one of Herald's own transactions commits. Thread-safe. */
final class AfterCommit {
  private final List<Supplier<Mono<Void>>> actions = new ArrayList<>();

  synchronized void add(Supplier<Mono<Void>> action) {
    actions.add(action);
  }

  Mono<Void> run() {
    List<Supplier<Mono<Void>>> copy;
    synchronized (this) {
      copy = List.copyOf(actions);
    }
    return Flux.fromIterable(copy).concatMap(Supplier::get).then();
  }
}
