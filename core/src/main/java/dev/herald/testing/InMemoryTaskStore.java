package dev.herald.testing;

import dev.herald.Store;
import dev.herald.TaskInfo;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A task store in memory, for testing code that sends signals without a database. It keeps the
 * store contract of the PostgreSQL stores (the conformance kit runs against it): transactions
 * commit or roll back their tasks together, claims lease and fence, dead letters can be listed and
 * requeued.
 *
 * <p>Two modes:
 *
 * <ul>
 *   <li>{@link #create()}: tasks wait for a started {@link dev.herald.Herald} dispatcher, as in
 *       production. Several Herald instances over one store behave like several nodes.
 *   <li>{@link #immediate()}: receivers run inside the commit of {@link #inTransaction(Mono)}, so
 *       when that {@code Mono} completes the receivers have run (failures retried at once up to
 *       each receiver's max attempts, then dead-lettered). No dispatcher is needed.
 * </ul>
 *
 * <p>Transactions come from {@link #inTransaction(Mono)}; {@code sendReliable} outside one fails
 * like it does on a database. Time comes from the given scheduler, so virtual time drives backoff.
 * Thread-safe.
 */
public final class InMemoryTaskStore extends Store {

  private final InMemoryTasks tasks;

  private InMemoryTaskStore(InMemoryTasks tasks, boolean immediate) {
    super(tasks, immediate);
    this.tasks = tasks;
  }

  /**
   * A store whose tasks are delivered by a started dispatcher.
   *
   * @return a new, empty store on the wall clock
   */
  public static InMemoryTaskStore create() {
    return create(Schedulers.parallel());
  }

  /**
   * A store whose tasks are delivered by a started dispatcher, on the given clock.
   *
   * @param clock the scheduler whose {@code now} is the store's time (a virtual-time scheduler in
   *     backoff tests)
   * @return a new, empty store
   */
  public static InMemoryTaskStore create(Scheduler clock) {
    return new InMemoryTaskStore(new InMemoryTasks(Objects.requireNonNull(clock, "clock")), false);
  }

  /**
   * A store that runs receivers when the sending transaction commits.
   *
   * @return a new, empty store in immediate mode
   */
  public static InMemoryTaskStore immediate() {
    return new InMemoryTaskStore(new InMemoryTasks(Schedulers.parallel()), true);
  }

  /**
   * Runs {@code work} in a transaction: tasks it sends are committed when it completes and
   * discarded when it fails or is cancelled. In immediate mode the returned {@code Mono} completes
   * after the receivers ran.
   *
   * @param work the business code, which calls {@code sendReliable}
   * @param <T> its result
   * @return {@code work}'s result, after commit
   */
  public <T> Mono<T> inTransaction(Mono<T> work) {
    return tasks.inTransaction(work);
  }

  /**
   * Snapshot of every stored task (ready, leased and dead), by id.
   *
   * @return the tasks
   */
  public List<TaskInfo> tasks() {
    return tasks.tasks().stream()
        .map(
            r ->
                new TaskInfo(
                    r.id(),
                    r.signal(),
                    r.receiver(),
                    r.state(),
                    r.attempt(),
                    r.runAt(),
                    r.createdAt(),
                    r.lastError(),
                    r.payload(),
                    r.dedupeKey(),
                    r.lockedBy(),
                    r.lockedUntil()))
        .toList();
  }

  /**
   * Tasks currently leased by {@code owner}.
   *
   * @param owner a node id
   * @return how many rows it holds
   */
  public long leasedBy(String owner) {
    return tasks.leasedBy(owner);
  }

  /**
   * Stores a task directly, bypassing the codec: for testing how the engine treats data it cannot
   * decode or receivers no node knows.
   *
   * @param signal the signal name
   * @param receiver the receiver name
   * @param payloadJson the stored payload text
   * @return the task id
   */
  public long insertRaw(String signal, String receiver, String payloadJson) {
    return tasks.insertRaw(signal, receiver, payloadJson);
  }
}
