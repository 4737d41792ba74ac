package dev.herald;

import dev.herald.spi.DeadTaskFilter;
import dev.herald.spi.TaskListParams;
import dev.herald.spi.TaskPurgeParams;
import dev.herald.spi.TaskRequeueParams;
import dev.herald.spi.TaskStore;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Operations on dead-lettered tasks: tasks that exhausted their retries, failed permanently, or
 * could not be decoded. Dead tasks stay until requeued or purged; nothing expires them.
 *
 * <p>Every operation is cold and non-blocking; it runs in its own short transaction.
 */
public final class DeadLetters {

  private final TaskStore store;

  DeadLetters(TaskStore store) {
    this.store = store;
  }

  /**
   * The oldest dead tasks.
   *
   * @param limit page size, at least 1
   * @return up to {@code limit} tasks, by id
   */
  public Flux<TaskInfo> list(int limit) {
    return list(null, null, 0, limit);
  }

  /**
   * A page of dead tasks.
   *
   * @param signal only this signal, or null for all
   * @param receiver only this receiver, or null for all
   * @param afterId only ids above this (pass the last id of the previous page; 0 first)
   * @param limit page size, at least 1
   * @return up to {@code limit} tasks, by id
   */
  public Flux<TaskInfo> list(String signal, String receiver, long afterId, int limit) {
    return Flux.defer(
        () ->
            store
                .taskList(new TaskListParams("dead", signal, receiver, afterId, limit))
                .map(TaskInfo::of));
  }

  /**
   * Requeues (redrives) dead tasks by id: they become ready at once with their attempts reset.
   *
   * @param ids the tasks
   * @return the number requeued (ids that are not dead are ignored)
   */
  public Mono<Long> requeue(long... ids) {
    Objects.requireNonNull(ids, "ids");
    return Mono.defer(
        () ->
            store.taskRequeue(new TaskRequeueParams(new DeadTaskFilter(ids.clone(), null, null))));
  }

  /**
   * Requeues every dead task of one receiver (or of all, with nulls).
   *
   * @param signal the signal, or null for all
   * @param receiver the receiver, or null for all
   * @return the number requeued
   */
  public Mono<Long> requeueAll(String signal, String receiver) {
    return Mono.defer(
        () -> store.taskRequeue(new TaskRequeueParams(new DeadTaskFilter(null, signal, receiver))));
  }

  /**
   * Deletes dead tasks by id.
   *
   * @param ids the tasks
   * @return the number deleted (ids that are not dead are ignored)
   */
  public Mono<Long> purge(long... ids) {
    Objects.requireNonNull(ids, "ids");
    return Mono.defer(
        () -> store.taskPurge(new TaskPurgeParams(new DeadTaskFilter(ids.clone(), null, null))));
  }

  /**
   * Deletes every dead task of one receiver (or of all, with nulls).
   *
   * @param signal the signal, or null for all
   * @param receiver the receiver, or null for all
   * @return the number deleted
   */
  public Mono<Long> purgeAll(String signal, String receiver) {
    return Mono.defer(
        () -> store.taskPurge(new TaskPurgeParams(new DeadTaskFilter(null, signal, receiver))));
  }
}
