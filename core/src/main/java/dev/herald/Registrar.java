package dev.herald;

import dev.herald.spi.ReceiverKey;
import dev.herald.spi.ReceiverRegisterParams;
import dev.herald.spi.TaskStore;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * Keeps this node's receivers (connected and declared) in the store's registry while the engine
 * dispatches, so that every node's sends write their tasks: once at start, then every minute, which
 * also shows operators which receivers are still alive ({@link Herald#receivers()}).
 */
final class Registrar {

  /** How often a node marks its receivers seen again. */
  static final Duration EVERY = Duration.ofMinutes(1);

  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(Registrar.class);

  private final TaskStore store;
  private final StoreCalls calls;
  private final ReceiverRegisterParams params;
  private final Scheduler scheduler;
  private boolean registered;
  private int failures;

  Registrar(
      TaskStore store,
      StoreCalls calls,
      List<ReceiverKey> receivers,
      String node,
      Scheduler scheduler) {
    this.store = store;
    this.calls = calls;
    this.scheduler = scheduler;
    this.params = new ReceiverRegisterParams(receivers, node);
  }

  /**
   * One registration; never fails. Until the first one lands, other nodes' sends skip these
   * receivers, so it is retried with backoff (from a second up to a minute) rather than a minute
   * later. Steps run one after another, never concurrently.
   */
  Mono<Void> step() {
    Mono<Void> once =
        calls
            .limit("receiverRegister", Mono.defer(() -> store.receiverRegister(params)))
            .doOnError(
                e -> {
                  if (failures++ == 0) {
                    log.warn("Herald could not register its receivers: {}", e.toString());
                  }
                });
    return (registered
            ? once
            : once.retryWhen(
                Retry.backoff(Long.MAX_VALUE, FIRST_RETRY).maxBackoff(EVERY).scheduler(scheduler)))
        .doOnSuccess(
            v -> {
              if (!registered) {
                registered = true;
                log.info("Herald registered receivers {}", params.receivers());
              }
              failures = 0;
            })
        .onErrorResume(e -> Mono.empty());
  }
}
