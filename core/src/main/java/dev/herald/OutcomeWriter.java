package dev.herald;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Records the outcomes of held tasks, and only then frees their slots. Successes share one fenced
 * DELETE per batch: a lone success waits up to {@code completionDelay} for company, successes that
 * arrive while a DELETE is in flight go together in the next one (at most {@value #LANES} in
 * flight, up to {@code completionBatch} each but never more than a lane's share of {@code
 * maxInFlight}, so that one slow DELETE holds back at most that share of the node), and the
 * dispatcher flushes at once when held tasks waiting for their acknowledgement are all that keeps
 * it from claiming. Other outcomes are written one by one. A write that fails is retried with
 * backoff for as long as the task's lease lasts (the lease keeper goes on extending it meanwhile);
 * a task whose lease runs out first, or whose write finds it claimed elsewhere, is given up with a
 * {@code LeaseLost} event.
 *
 * <p>Bounded: only held tasks are submitted, and this node holds at most {@code maxInFlight}.
 */
final class OutcomeWriter {

  private static final Logger log = LoggerFactory.getLogger(OutcomeWriter.class);
  private static final long MAX_BACKOFF_MILLIS = 2_000;
  private static final int LANES = 2;

  private record Pending(Held held, Outcome outcome) {}

  private final OutcomeWrites writes;
  private final Holdings holdings;
  private final Scheduler scheduler;
  private final DueTimer retries;
  private final int batchSize;
  private final Duration batchDelay;

  // Guarded by this.
  private final ArrayDeque<Pending> acks = new ArrayDeque<>();
  private int lanesBusy;
  private Disposable timer;

  private volatile boolean killed;

  OutcomeWriter(
      OutcomeWrites writes,
      Holdings holdings,
      HeraldOptions options,
      Scheduler scheduler,
      DueTimer retries) {
    this.writes = writes;
    this.holdings = holdings;
    this.scheduler = scheduler;
    this.retries = retries;
    this.batchSize =
        Math.min(options.completionBatch(), (options.maxInFlight() + LANES - 1) / LANES);
    this.batchDelay = options.completionDelay();
  }

  /** Records one task's outcome; a second outcome for the same task is ignored. */
  void submit(Held held, Outcome outcome) {
    if (!held.settled.compareAndSet(false, true)) {
      return;
    }
    Pending p = new Pending(held, outcome);
    if (outcome instanceof Outcome.Succeeded) {
      List<Pending> batch;
      synchronized (this) {
        acks.add(p);
        batch = acks.size() >= batchSize ? takeBatch() : null;
        if (batch == null && timer == null && lanesBusy == 0) {
          timer = scheduler.schedule(this::flush, batchDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
      writeAcks(batch);
      return;
    }
    record(List.of(p), b -> writes.recordOne(held.task, outcome).map(m -> matched(m, held)), 0)
        .subscribe();
  }

  /** Writes waiting acknowledgements now, if a lane is free. */
  void flush() {
    List<Pending> batch;
    synchronized (this) {
      batch = takeBatch();
    }
    writeAcks(batch);
  }

  /** Releases several tasks in one statement (shutdown). */
  void releaseAll(List<Held> held, Outcome.Release release) {
    List<Pending> batch = new ArrayList<>();
    for (Held h : held) {
      if (h.settled.compareAndSet(false, true)) {
        batch.add(new Pending(h, release));
      }
    }
    if (!batch.isEmpty()) {
      record(batch, b -> writes.release(holdings.tokens(helds(b)), release.refund()), 0)
          .subscribe();
    }
  }

  /** Stops writing: the crash-test path. */
  synchronized void kill() {
    killed = true;
    acks.clear();
    if (timer != null) {
      timer.dispose();
    }
  }

  // Guarded by this. Null when there is nothing to write or no free lane.
  private List<Pending> takeBatch() {
    if (acks.isEmpty() || lanesBusy >= LANES || killed) {
      return null;
    }
    if (timer != null) {
      timer.dispose();
      timer = null;
    }
    List<Pending> batch = new ArrayList<>(Math.min(acks.size(), batchSize));
    while (!acks.isEmpty() && batch.size() < batchSize) {
      batch.add(acks.poll());
    }
    lanesBusy++;
    return batch;
  }

  private void writeAcks(List<Pending> batch) {
    if (batch == null) {
      return;
    }
    record(batch, b -> writes.complete(holdings.tokens(helds(b))), 0)
        .doFinally(
            s -> {
              List<Pending> next;
              synchronized (this) {
                lanesBusy--;
                // What arrived during this write's round trip goes at once: under load, batches
                // grow with the rate instead of waiting for the timer.
                next = takeBatch();
              }
              writeAcks(next);
            })
        .subscribe();
  }

  private Mono<Void> record(
      List<Pending> batch, Function<List<Pending>, Mono<Set<Long>>> write, int failures) {
    if (killed) {
      return Mono.empty();
    }
    return Mono.defer(() -> write.apply(batch))
        .doOnNext(matched -> settle(batch, matched))
        .then()
        .onErrorResume(
            e -> {
              long now = System.nanoTime();
              List<Pending> alive = new ArrayList<>();
              List<Pending> expired = new ArrayList<>();
              for (Pending p : batch) {
                (p.held.leaseValid(now) ? alive : expired).add(p);
              }
              giveUp(
                  expired,
                  "its outcome could not be recorded before the lease ran out: "
                      + Attempt.describe(e));
              if (alive.isEmpty()) {
                return Mono.empty();
              }
              long backoff = Math.min(MAX_BACKOFF_MILLIS, 50L << Math.min(failures, 6));
              if (failures == 0) {
                log.warn(
                    "Herald could not record the outcome of {} tasks; retrying while their leases"
                        + " last: {}",
                    alive.size(),
                    e.toString());
              }
              return Mono.delay(Duration.ofMillis(backoff), scheduler)
                  .then(Mono.defer(() -> record(alive, write, failures + 1)));
            });
  }

  private void settle(List<Pending> batch, Set<Long> matched) {
    Map<Long, Integer> newest = Holdings.newestAttempts(helds(batch));
    for (Pending p : batch) {
      if (Holdings.matched(p.held, matched, newest)) {
        writes.recorded(p.held.task, p.outcome);
        if (p.outcome instanceof Outcome.RetryLater r) {
          retries.wakeAfter(r.delay());
        }
      } else if (!p.held.leaseLost) {
        p.held.leaseLost = true;
        writes.leaseLost(p.held.task, "the task was claimed again elsewhere; outcome not recorded");
      }
      holdings.free(p.held);
    }
  }

  private void giveUp(List<Pending> lost, String reason) {
    for (Pending p : lost) {
      if (!p.held.leaseLost) {
        p.held.leaseLost = true;
        writes.leaseLost(p.held.task, reason);
      }
      holdings.free(p.held);
    }
  }

  private static Set<Long> matched(boolean matched, Held held) {
    return matched ? Set.of(held.id()) : Set.of();
  }

  private static List<Held> helds(List<Pending> batch) {
    return batch.stream().map(Pending::held).toList();
  }
}
