package dev.herald;

import dev.herald.spi.TaskExpireParams;
import dev.herald.spi.TaskStore;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Removes kept completed tasks past their retention every few seconds while the engine dispatches
 * (only when {@link HeraldOptions#retention()} is set): batches of {@value #BATCH}, oldest first,
 * up to {@value #MAX_BATCHES} per step, so a step stays short however much expired at once.
 */
final class Expirer {

  static final Duration EVERY = Duration.ofSeconds(5);

  private static final int BATCH = 1_000;
  private static final int MAX_BATCHES = 20;
  private static final Logger log = LoggerFactory.getLogger(Expirer.class);

  private final TaskStore store;
  private final StoreCalls calls;
  private final TaskExpireParams params;
  private int failures;

  Expirer(TaskStore store, StoreCalls calls, Duration retention) {
    this.store = store;
    this.calls = calls;
    this.params = new TaskExpireParams(retention, BATCH);
  }

  /** One step; never fails. Steps run one after another, never concurrently. */
  Mono<Void> step() {
    return calls
        .limit("taskExpire", Mono.defer(() -> store.taskExpire(params)))
        .repeat(MAX_BATCHES - 1)
        .takeUntil(n -> n < BATCH)
        .then()
        .doOnSuccess(v -> failures = 0)
        .onErrorResume(
            e -> {
              if (failures++ == 0) {
                log.warn("Herald could not remove expired completed tasks: {}", e.toString());
              }
              return Mono.empty();
            });
  }
}
