package dev.herald;

import dev.herald.spi.TaskExtendLeaseParams;
import dev.herald.spi.TaskStore;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Extends the lease of every held task, whether it waits for a slot, runs, or waits for its outcome
 * to be recorded, until the engine has recorded or released everything (it runs through shutdown).
 * A lease that could not be extended because the task was claimed elsewhere is lost: the task is
 * not started if it has not been, and its outcome will not be recorded.
 */
final class LeaseKeeper {

  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  private final TaskStore store;
  private final StoreCalls calls;
  private final Holdings holdings;
  private final OutcomeWrites writes;
  private final Duration lease;
  private int failures;

  LeaseKeeper(
      TaskStore store, StoreCalls calls, Holdings holdings, OutcomeWrites writes, Duration lease) {
    this.store = store;
    this.calls = calls;
    this.holdings = holdings;
    this.writes = writes;
    this.lease = lease;
  }

  /** One round of extensions; never fails. */
  Mono<Void> extend() {
    List<Held> held = holdings.snapshot();
    if (held.isEmpty()) {
      return Mono.empty();
    }
    long sent = System.nanoTime();
    return calls
        .limit(
            "taskExtendLease",
            store.taskExtendLease(new TaskExtendLeaseParams(holdings.tokens(held), lease)))
        .collect(() -> new HashSet<Long>(), Set::add)
        .doOnNext(extended -> extended(held, extended, sent))
        .then()
        .onErrorResume(
            e -> {
              if (failures++ == 0) {
                log.warn(
                    "Herald could not extend the leases of {} tasks: {}",
                    held.size(),
                    e.toString());
              }
              return Mono.empty();
            });
  }

  private void extended(List<Held> held, Set<Long> extended, long sent) {
    failures = 0;
    // The database computed the new lease after this call was sent: counting from the send is
    // conservative.
    long deadline = sent + lease.toNanos();
    Map<Long, Integer> newest = Holdings.newestAttempts(held);
    for (Held h : held) {
      if (Holdings.matched(h, extended, newest)) {
        h.leaseDeadline = deadline;
      } else if (!h.settled.get() && holdings.holds(h) && !h.leaseLost) {
        // Not yet being recorded, yet no longer ours: claimed elsewhere after our lease ran out.
        // (A task being recorded may just have been deleted: its write will tell.)
        h.leaseLost = true;
        writes.leaseLost(h.task, "its lease could not be extended: the task was claimed elsewhere");
      }
    }
  }
}
