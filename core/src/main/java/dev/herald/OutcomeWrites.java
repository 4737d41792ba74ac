package dev.herald;

import dev.herald.spi.ClaimedTask;
import dev.herald.spi.TaskCompleteManyParams;
import dev.herald.spi.TaskDeadLetterParams;
import dev.herald.spi.TaskReleaseParams;
import dev.herald.spi.TaskRetryLaterParams;
import dev.herald.spi.TaskStore;
import dev.herald.spi.TaskTokens;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The fenced store writes that record outcomes, and the events they earn: an event is published
 * only for a task whose write matched its row (its claim token still held).
 */
final class OutcomeWrites {

  private static final Logger log = LoggerFactory.getLogger(OutcomeWrites.class);

  private final TaskStore store;
  private final StoreCalls calls;
  private final EventBus events;
  private final EngineHooks hooks;
  private final String owner;
  private final Consumer<ClaimedTask> onRecorded;
  private final boolean keep;

  /**
   * @param keep whether completed tasks are kept (retention)
   * @param onRecorded told of every recorded outcome: a task of an ordering key or of a fleet-wide
   *     limit that finished may let another one be claimed
   */
  OutcomeWrites(
      TaskStore store,
      StoreCalls calls,
      EventBus events,
      EngineHooks hooks,
      String owner,
      boolean keep,
      Consumer<ClaimedTask> onRecorded) {
    this.store = store;
    this.calls = calls;
    this.events = events;
    this.hooks = hooks;
    this.owner = owner;
    this.onRecorded = onRecorded;
    this.keep = keep;
  }

  /** Deletes delivered tasks; emits the ids whose token matched. */
  Mono<Set<Long>> complete(TaskTokens tokens) {
    return calls
        .limit("taskCompleteMany", store.taskCompleteMany(new TaskCompleteManyParams(tokens, keep)))
        .collect(() -> new HashSet<Long>(), Set::add);
  }

  /** Gives tasks back; emits the ids whose token matched. */
  Mono<Set<Long>> release(TaskTokens tokens, boolean refund) {
    return calls
        .limit("taskRelease", store.taskRelease(new TaskReleaseParams(tokens, refund)))
        .collect(() -> new HashSet<Long>(), Set::add);
  }

  /** Records one task's outcome; true if its token matched. */
  Mono<Boolean> recordOne(ClaimedTask task, Outcome outcome) {
    if (outcome instanceof Outcome.RetryLater r) {
      return calls.limit(
          "taskRetryLater",
          store.taskRetryLater(
              new TaskRetryLaterParams(owner, task.id(), task.attempt(), r.delay(), r.reason())));
    }
    if (outcome instanceof Outcome.DeadLetter d) {
      return calls.limit(
          "taskDeadLetter",
          store.taskDeadLetter(
              new TaskDeadLetterParams(owner, task.id(), task.attempt(), d.reason())));
    }
    Mono<Set<Long>> matched =
        outcome instanceof Outcome.Release r
            ? release(tokens(task), r.refund())
            : complete(tokens(task));
    return matched.map(ids -> ids.contains(task.id()));
  }

  /** Publishes what a recorded outcome means; call only when its write matched. */
  void recorded(ClaimedTask task, Outcome outcome) {
    onRecorded.accept(task);
    hooks.recorded(task, outcome);
    if (outcome instanceof Outcome.Succeeded s) {
      events.emit(
          new HeraldEvent.Delivered(
              task.signal(), task.receiver(), task.id(), task.attempt(), s.took()));
    } else if (outcome instanceof Outcome.RetryLater r) {
      events.emit(
          new HeraldEvent.Retried(
              task.signal(), task.receiver(), task.id(), task.attempt(), r.delay(), r.reason()));
    } else if (outcome instanceof Outcome.DeadLetter d) {
      log.warn(
          "Herald dead-lettered task {} of {} -> {} after attempt {}: {}",
          task.id(),
          task.signal(),
          task.receiver(),
          task.attempt(),
          d.reason());
      events.emit(
          new HeraldEvent.DeadLettered(
              task.signal(), task.receiver(), task.id(), task.attempt(), d.reason()));
    } else if (outcome instanceof Outcome.Release r) {
      events.emit(new HeraldEvent.Released(task.signal(), task.receiver(), task.id(), r.reason()));
    }
  }

  /** Says that this node's claim on a task is gone; whatever its attempt did is not recorded. */
  void leaseLost(ClaimedTask task, String reason) {
    log.warn(
        "Herald lost its lease on task {} of {} -> {} (attempt {}): {}",
        task.id(),
        task.signal(),
        task.receiver(),
        task.attempt(),
        reason);
    hooks.leaseLost(task);
    events.emit(
        new HeraldEvent.LeaseLost(
            task.signal(), task.receiver(), task.id(), task.attempt(), reason));
  }

  private TaskTokens tokens(ClaimedTask task) {
    return new TaskTokens(owner, new long[] {task.id()}, new int[] {task.attempt()});
  }
}
