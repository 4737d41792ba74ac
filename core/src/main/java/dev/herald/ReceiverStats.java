package dev.herald;

import java.time.Duration;

/**
 * One receiver's tasks by what they wait for, from {@link Herald#stats()}: counts read from the
 * task table in one snapshot, at a bounded cost, and what this node holds of them.
 *
 * <p>Every store count reads at most the call's {@code cap} tasks, however large the backlog: a
 * count whose {@code ...Capped} flag is set is a lower bound ("at least {@code cap}"); otherwise it
 * is exact as of the snapshot. Counts are fleet-wide: they include the tasks of every node sharing
 * the table.
 *
 * @param signal the signal's name
 * @param receiver the receiver's name
 * @param ready tasks due and not leased: claimable now, or held back by an earlier task of their
 *     ordering key; a growing count means the receivers fall behind
 * @param readyCapped whether {@code ready} reached the cap
 * @param oldestReady how long the oldest {@code ready} task has been due, on the database's clock:
 *     since its {@code run_at}, which is its send (or its delay's end) for a first attempt and the
 *     end of its backoff for a retry; {@link Duration#ZERO} when nothing is ready
 * @param running tasks leased to a node (running, waiting for a slot or for their outcome to be
 *     recorded), counted among the oldest {@code cap} due tasks
 * @param runningCapped whether more due tasks exist than were read, so that {@code running} is a
 *     lower bound (claims take the oldest due tasks first, so it is exact in practice)
 * @param scheduled tasks not yet due: delayed sends and retries waiting for their backoff
 * @param scheduledCapped whether {@code scheduled} reached the cap
 * @param dead dead-lettered tasks waiting for an operator (requeue or purge)
 * @param deadCapped whether {@code dead} reached the cap
 * @param connected whether a receiver of this pair runs on this node; pairs come from the store's
 *     receiver registry and from this node's connected and declared receivers
 * @param held tasks of this pair this node holds, from their claim until their outcome is recorded
 *     (waiting for a slot, running, or awaiting acknowledgement); 0 when not connected here
 * @param runningHere of those, the deliveries running now; 0 when not connected here
 * @param breaker this node's circuit breaker of the receiver, or null when it is not connected here
 *     or its breaker is turned off
 */
public record ReceiverStats(
    String signal,
    String receiver,
    long ready,
    boolean readyCapped,
    Duration oldestReady,
    long running,
    boolean runningCapped,
    long scheduled,
    boolean scheduledCapped,
    long dead,
    boolean deadCapped,
    boolean connected,
    int held,
    int runningHere,
    BreakerState breaker) {

  /** The cap of {@link Herald#stats()}: 10,000 tasks per count. */
  public static final int DEFAULT_CAP = 10_000;
}
