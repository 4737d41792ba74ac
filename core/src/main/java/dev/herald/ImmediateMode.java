package dev.herald;

import dev.herald.spi.ClaimWant;
import dev.herald.spi.TaskClaimBatchParams;
import dev.herald.spi.TaskStore;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The test mode of {@code dev.herald.testing}: right after a sender commits, delivers every due
 * task of the routes connected here within the commit's own subscription, retrying failures at once
 * until each task succeeds or is dead-lettered. No dispatcher, no batching.
 */
final class ImmediateMode {

  private final TaskStore store;
  private final HeraldOptions options;
  private final Routes routes;
  private final Attempt attempt;
  private final OutcomeWrites writes;

  ImmediateMode(
      TaskStore store,
      HeraldOptions options,
      Routes routes,
      Attempt attempt,
      OutcomeWrites writes) {
    this.store = store;
    this.options = options;
    this.routes = routes;
    this.attempt = attempt;
    this.writes = writes;
  }

  Mono<Void> deliverNow() {
    List<ClaimWant> wants = new ArrayList<>();
    for (ReceiverRuntime rt : routes.all()) {
      wants.add(
          new ClaimWant(
              rt.route.signal(),
              rt.route.receiverName(),
              Integer.MAX_VALUE,
              null,
              rt.route.options().deadLetterBlocksKey(),
              rt.route.options().fleetConcurrency()));
    }
    if (wants.isEmpty()) {
      return Mono.empty();
    }
    return store
        .taskClaimBatch(new TaskClaimBatchParams(options.nodeId(), options.lease(), wants))
        .concatMap(
            task ->
                attempt
                    .run(routes.get(task.signal(), task.receiver()), task)
                    .flatMap(
                        outcome ->
                            writes
                                .recordOne(task, outcome)
                                .doOnNext(
                                    matched -> {
                                      if (matched) {
                                        writes.recorded(task, outcome);
                                      }
                                    })
                                // A released task (its breaker is open) is not progress: stop
                                // rather than claim it again and again.
                                .thenReturn(outcome instanceof Outcome.Release ? 0 : 1)))
        .reduce(0, Integer::sum)
        .flatMap(n -> n > 0 ? deliverNow() : Mono.empty());
  }
}
