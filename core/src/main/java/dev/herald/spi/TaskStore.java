package dev.herald.spi;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Where tasks live. One store serves one task table. Every operation is lazy (nothing happens until
 * subscribed) and non-blocking; every write to a claimed task is fenced by its claim token (owner
 * and attempt), so a dispatcher whose lease ran out cannot change a newer attempt.
 *
 * <p>Unstable SPI. Operations are named entity-first and take one params record each; the same name
 * is used by the SQL in {@link HeraldSql} and by the conformance kit.
 */
public interface TaskStore {

  /**
   * Creates or upgrades the task table. Idempotent and safe to run from several nodes at once.
   *
   * @return completes when the schema is current
   */
  Mono<Void> installSchema();

  /**
   * Finds the caller's transaction for {@code sendReliable}. Fails with {@code
   * dev.herald.NoTransactionException} when there is none (never opens one of its own).
   *
   * @param context the subscriber's context, where transaction bindings live
   * @param signal the signal being sent, for error messages
   * @return the caller's transaction
   */
  Mono<SenderTransaction> senderTransaction(ContextView context, String signal);

  /**
   * Claims up to {@code limit} due, unleased ready tasks per (signal, receiver), leasing them to
   * {@code owner} and incrementing their attempt. Skips rows locked by concurrent claims.
   *
   * @param params what to claim
   * @return the claimed tasks
   */
  Flux<ClaimedTask> taskClaimBatch(TaskClaimBatchParams params);

  /**
   * Deletes delivered tasks whose claim token still matches. Rows are locked in id order.
   *
   * @param params the tokens
   * @return the ids of the rows deleted: a task missing here was fenced out (its lease ran out and
   *     another claim took it) and its success was not recorded
   */
  Flux<Long> taskCompleteMany(TaskCompleteManyParams params);

  /**
   * Makes a claimed task due again after a delay, recording the error.
   *
   * @param params the token, delay and error
   * @return true if the token still matched
   */
  Mono<Boolean> taskRetryLater(TaskRetryLaterParams params);

  /**
   * Moves a claimed task to {@code dead}, recording the reason; its dedupe key (if any) is no
   * longer pending.
   *
   * @param params the token and reason
   * @return true if the token still matched
   */
  Mono<Boolean> taskDeadLetter(TaskDeadLetterParams params);

  /**
   * Gives claimed tasks back without waiting for their lease, optionally refunding the attempt
   * their claim counted. Rows are locked in id order.
   *
   * @param params the tokens and whether to refund
   * @return the ids of the rows released
   */
  Flux<Long> taskRelease(TaskReleaseParams params);

  /**
   * Extends the leases of claimed tasks, from the moment each row is written. Rows are locked in id
   * order.
   *
   * @param params the tokens and the new lease
   * @return the ids of the leases extended: a task missing here is no longer this claim's
   */
  Flux<Long> taskExtendLease(TaskExtendLeaseParams params);

  /**
   * Releases every task leased by one node, whatever its attempt: the last step of a shutdown, for
   * rows claimed by statements whose answer never reached the node.
   *
   * @param params the owner
   * @return the number of rows released
   */
  Mono<Long> taskReleaseOwned(TaskReleaseOwnedParams params);

  /**
   * Lists tasks in one state ({@code ready}, {@code dead}, or {@code done}: kept completed tasks,
   * whose {@code runAt} is their completion time), by id, by keyset.
   *
   * @param params the filter and page
   * @return matching tasks
   */
  Flux<TaskListRow> taskList(TaskListParams params);

  /**
   * Finds tasks in any state (ready, which includes scheduled, leased and waiting to retry; {@code
   * dead}; {@code done}: kept completed tasks) by id, and by the dedupe key of one signal, whether
   * or not that key is still pending. Each way reads an index (primary keys; the keyed rows' index
   * by signal and key) and stops at the limit; the answer is one snapshot, each task once, newest
   * (highest id) first. Tasks gone for good (delivered and not kept, expired, purged, cancelled)
   * are not found.
   *
   * @param params the ids, the signal and key, and the limit
   * @return at most {@code limit} tasks, by id descending
   */
  Flux<TaskListRow> taskFind(TaskFindParams params);

  /**
   * Counts ready tasks per (signal, receiver).
   *
   * @return one row per pair that has ready tasks
   */
  Flux<TaskCountReadyRow> taskCountReady();

  /**
   * Counts each receiver's tasks by what they wait for, at a cost bounded by {@code cap} whatever
   * the table holds: for every pair of the receiver registry and every pair of {@code params}, once
   * each, by signal and receiver (pairs without tasks included, with zero counts). Counts come from
   * one snapshot; see {@link TaskStatsRow} for what each one guarantees.
   *
   * @param params the pairs besides the registry's, and the cap
   * @return one row per pair
   */
  Flux<TaskStatsRow> taskStats(TaskStatsParams params);

  /**
   * Moves dead tasks back to ready with their attempts reset.
   *
   * @param params the filter
   * @return the number of tasks requeued
   */
  Mono<Long> taskRequeue(TaskRequeueParams params);

  /**
   * Deletes dead tasks.
   *
   * @param params the filter
   * @return the number of tasks deleted
   */
  Mono<Long> taskPurge(TaskPurgeParams params);

  /**
   * Dead-letters ready, unleased tasks of one (signal, receiver), for tasks no node can deliver.
   *
   * @param params the pair and the reason
   * @return the number of tasks dead-lettered
   */
  Mono<Long> taskDeadLetterReady(TaskDeadLetterReadyParams params);

  /**
   * Cancels ready tasks that no node runs (a leased one is left to its lease), by id and by dedupe
   * key, deleting them and releasing their keys.
   *
   * @param params the ids, and the signal and key
   * @return the ids cancelled
   */
  Flux<Long> taskCancel(TaskCancelParams params);

  /**
   * Removes kept completed tasks (see {@link TaskCompleteManyParams#keep()}) whose retention has
   * passed, oldest first, at most {@code max} per call.
   *
   * @param params the retention and the batch size
   * @return how many were removed
   */
  Mono<Long> taskExpire(TaskExpireParams params);

  /**
   * Records receivers in the store's registry, or marks them seen again: every later send of their
   * signal, from any node, writes a task for each of them.
   *
   * @param params the receivers and the node registering them
   * @return completes when recorded
   */
  Mono<Void> receiverRegister(ReceiverRegisterParams params);

  /**
   * Removes one receiver from the registry: sends no longer write tasks for it unless the sending
   * node runs or declares it (or a node registers it again). Its tasks stay.
   *
   * @param params the receiver
   * @return whether it was registered
   */
  Mono<Boolean> receiverRetire(ReceiverRetireParams params);

  /**
   * The registry: every registered receiver, by signal and receiver.
   *
   * @return the receivers
   */
  Flux<ReceiverListRow> receiverList();

  /**
   * One step of the upkeep that gives the space of delivered tasks back: stores that keep tasks in
   * generations truncate each drained one, moving out its dead letters and tasks not yet due first.
   * Never waits for long on a lock, never loses a task (a generation is checked again under its
   * lock), and is safe to run from every node at once (one of them does the work). Stores that free
   * a task's space when it is deleted have nothing to do.
   *
   * @param params how much one step may move
   * @return one entry per generation looked at, none when another node is rotating
   */
  default Flux<RotatedGeneration> taskRotate(TaskRotateParams params) {
    return Flux.empty();
  }

  /**
   * Wakes the dispatchers listening on {@link #channel()} (of every process), from a statement of
   * its own: the way a sender wakes them after its transaction committed. Stores whose commits wake
   * every dispatcher by themselves complete at once.
   *
   * @param params the channel
   * @return completes when the notification is committed
   */
  Mono<Void> taskNotify(TaskNotifyParams params);

  /**
   * Wakeups from other processes. Each subscription listens until cancelled, reconnecting by
   * itself; it emits {@link Wakeup#LISTENING} every time it starts (or restarts) listening, so the
   * subscriber can catch up on what it missed, {@link Wakeup#NOTIFIED} per notification and {@link
   * Wakeup#LOST} when the listening connection broke. Stores without cross-process notifications
   * return a never-ending stream.
   *
   * @return the wakeups
   */
  Flux<Wakeup> wakeups();

  /**
   * The channel senders {@code NOTIFY} and {@link #wakeups()} listens on.
   *
   * @return a channel name of at most 63 bytes
   */
  default String channel() {
    return "herald";
  }
}
