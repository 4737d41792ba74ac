package dev.herald;

import dev.herald.spi.RotatedGeneration;
import dev.herald.spi.TaskRotateParams;
import dev.herald.spi.TaskStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Runs the store's generation upkeep ({@link TaskStore#taskRotate}) every few seconds while the
 * engine dispatches, and says when a generation stays locked for long: until it is truncated, the
 * space of the tasks delivered from it is not given back.
 */
final class Rotator {

  /** How often a node runs one step; the schema rotates generations every 30 s. */
  static final Duration EVERY = Duration.ofSeconds(5);

  // Enough for the dead letters and delayed tasks of one generation in all but extreme cases; the
  // rest move in the next steps.
  private static final TaskRotateParams PARAMS = new TaskRotateParams(10_000);

  // A generation whose lock was refused this many steps in a row (a minute) is worth a warning.
  private static final int LOCKED_WARN_AFTER = 12;

  private static final Logger log = LoggerFactory.getLogger(Rotator.class);

  private final TaskStore store;
  private final StoreCalls calls;
  private final Map<Integer, Integer> lockedSteps = new HashMap<>();
  private int failures;

  Rotator(TaskStore store, StoreCalls calls) {
    this.store = store;
    this.calls = calls;
  }

  /** One step; never fails. Steps run one after another, never concurrently. */
  Mono<Void> step() {
    return calls
        .limit("taskRotate", store.taskRotate(PARAMS))
        .doOnNext(this::report)
        .then()
        .doOnSuccess(v -> failures = 0)
        .onErrorResume(
            e -> {
              if (failures++ == 0) {
                log.warn("Herald could not rotate the task table's generations: {}", e.toString());
              }
              return Mono.empty();
            });
  }

  private void report(RotatedGeneration g) {
    if (g.outcome() == RotatedGeneration.Outcome.LOCKED) {
      int steps = lockedSteps.merge(g.generation(), 1, Integer::sum);
      if (steps == LOCKED_WARN_AFTER) {
        log.warn(
            "Herald could not truncate drained generation {} for {} steps: a transaction that"
                + " wrote or read the task table stays open (pg_stat_activity: oldest"
                + " xact_start); its space comes back once it ends",
            g.generation(),
            steps);
      }
      return;
    }
    Integer was = lockedSteps.remove(g.generation());
    if (g.outcome() == RotatedGeneration.Outcome.TRUNCATED) {
      if (was != null && was >= LOCKED_WARN_AFTER) {
        log.info("Herald truncated generation {} after {} locked steps", g.generation(), was);
      }
      log.debug(
          "Herald truncated generation {}: {} bytes back, {} tasks moved out",
          g.generation(),
          g.freedBytes(),
          g.moved());
    }
  }
}
