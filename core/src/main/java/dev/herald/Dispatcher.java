package dev.herald;

import dev.herald.spi.ClaimWant;
import dev.herald.spi.ClaimedTask;
import dev.herald.spi.TaskClaimBatchParams;
import dev.herald.spi.TaskReleaseParams;
import dev.herald.spi.TaskStore;
import dev.herald.spi.TaskTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Claim planning and slot accounting. Claims only into free room (the node's {@code maxInFlight}
 * less what it holds and what claims in flight may bring; each route's {@code concurrency +
 * prefetch} likewise), queues claimed tasks per route, and starts them as the route's running
 * deliveries drop below its concurrency. Claiming and starting run serialized in {@link #drain()};
 * results arrive on any thread.
 */
final class Dispatcher {

  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  // Two claims in flight overlap one claim's round trip with the other's rows being delivered. So
  // that both can be in flight while the node is behind, one claim asks for at most its share of
  // maxInFlight: a claim that reserved the whole window would serialize claims, and one slow
  // claim would idle the node for its whole round trip.
  private static final int MAX_CLAIMS_IN_FLIGHT = 2;

  // A claim after the first starts this far before the route's position (ReceiverRuntime
  // .claimed), so that its index walk skips the entries of delivered tasks (dead tuples until
  // vacuum). The margin covers what the store cannot see (transactions of roles whose activity
  // this one may not read). Rows released or left by a crashed node, or behind a position for
  // any other reason, are found by the sweep that every poll makes (a claim from the oldest task).
  // A full sweep that finds such rows moves the position back to the latest of them, so the
  // claims that follow walk on from there.
  static final Duration CLAIM_MARGIN = Duration.ofSeconds(1);

  private static final Outcome.Release NOT_STARTED =
      new Outcome.Release("shutdown: released before it started", true);
  private static final Outcome.Release CANCELLED =
      new Outcome.Release("shutdown: cancelled after the grace period; the attempt counts", false);

  private final TaskStore store;
  private final StoreCalls calls;
  private final HeraldOptions options;
  private final Scheduler scheduler;
  private final Routes routes;
  private final Holdings holdings;
  private final Consumer<Duration> wakeAfter;
  private final OutcomeWriter writer;
  private final OutcomeWrites writes;
  private final Attempt attempt;
  private final Runnable changed;

  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicInteger claims = new AtomicInteger();
  private final AtomicInteger reserved = new AtomicInteger();
  // Counts wakeups, so that a claim planned before a wakeup cannot cancel it by coming back empty.
  private final AtomicLong wakes = new AtomicLong();
  private final Set<Held> active = ConcurrentHashMap.newKeySet();
  private volatile boolean open;
  private volatile int claimFailures;
  private int roundRobin;

  Dispatcher(
      TaskStore store,
      StoreCalls calls,
      HeraldOptions options,
      Scheduler scheduler,
      Routes routes,
      Holdings holdings,
      OutcomeWriter writer,
      OutcomeWrites writes,
      Attempt attempt,
      Runnable changed,
      Consumer<Duration> wakeAfter) {
    this.store = store;
    this.calls = calls;
    this.options = options;
    this.scheduler = scheduler;
    this.routes = routes;
    this.holdings = holdings;
    this.writer = writer;
    this.writes = writes;
    this.attempt = attempt;
    this.changed = changed;
    this.wakeAfter = wakeAfter;
  }

  /** Starts claiming. */
  void open() {
    open = true;
    wake();
  }

  /** Stops claiming and starting; what waits for a slot is released, what runs goes on. */
  void stop() {
    open = false;
    drain();
  }

  /** Cancels every running delivery; each is released with its attempt counted. */
  void cancelRunning() {
    for (Held h : active) {
      h.attempt.dispose();
      finished(h, CANCELLED);
    }
  }

  /** Abandons everything without a write: the crash-test path. */
  void kill() {
    open = false;
    for (Held h : active) {
      h.attempt.dispose();
    }
    active.clear();
  }

  int claimsInFlight() {
    return claims.get();
  }

  int running() {
    return active.size();
  }

  /** Something may be due: new tasks, a free slot, a closed breaker. */
  void wake() {
    wakes.incrementAndGet();
    drain();
  }

  /** The poll: the next claim of every route walks from the oldest task, then a wakeup. */
  void sweep() {
    for (ReceiverRuntime rt : routes.all()) {
      rt.sweepNext();
    }
    wake();
  }

  /** Starts what can start and claims what can be claimed; serialized, never blocks. */
  void drain() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      startReady();
      claimIfUseful();
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  // ---------------------------------------------------------------- starting

  private void startReady() {
    for (ReceiverRuntime rt : routes.all()) {
      if (!open) {
        List<Held> waiting = new ArrayList<>();
        for (Held h; (h = rt.ready.poll()) != null; ) {
          waiting.add(h);
        }
        writer.releaseAll(waiting, NOT_STARTED);
        continue;
      }
      Held h;
      while (rt.running.get() < rt.route.options().concurrency() && (h = rt.ready.poll()) != null) {
        start(h);
      }
      if (rt.batching != null) {
        // What this pass started goes out together.
        rt.batching.flush();
      }
    }
  }

  private void start(Held h) {
    if (!h.leaseValid(System.nanoTime())) {
      if (!h.leaseLost) {
        h.leaseLost = true;
        writes.leaseLost(h.task, "its lease ran out before a slot freed up to start it");
      }
      holdings.free(h);
      return;
    }
    h.route.running.incrementAndGet();
    active.add(h);
    // A close that began meanwhile either sees this delivery as running (and waits for it or
    // cancels it) or is seen here: never both missed.
    if (!open || h.attempt.isDisposed()) {
      finished(h, NOT_STARTED);
      return;
    }
    Disposable d =
        attempt
            .run(h.route, h.task)
            .subscribe(
                outcome -> finished(h, outcome),
                e -> {
                  log.error("Herald's attempt at task {} failed unexpectedly", h.id(), e);
                  finished(h, new Outcome.Release("unexpected failure: " + e, false));
                });
    h.attempt.update(d);
  }

  private void finished(Held h, Outcome outcome) {
    if (!h.finished.compareAndSet(false, true)) {
      return;
    }
    active.remove(h);
    h.route.running.decrementAndGet();
    writer.submit(h, outcome);
    changed.run();
    drain();
  }

  // ---------------------------------------------------------------- claiming

  // Slots are reserved before a claim is sent and turned into holdings (or given back) when it
  // returns, so concurrent claims never promise the same slot twice.
  private void claimIfUseful() {
    while (open && claims.get() < MAX_CLAIMS_IN_FLIGHT) {
      long generation = wakes.get();
      List<ClaimWant> wants = plan(generation);
      if (wants.isEmpty()) {
        if (claims.get() == 0 && holdings.count() > 0) {
          // Nothing to claim into while tasks wait for their acknowledgement: don't let the batch
          // timer hold the room.
          writer.flush();
        }
        return;
      }
      claims.incrementAndGet();
      long sent = System.nanoTime();
      calls
          .limit(
              "taskClaimBatch",
              store.taskClaimBatch(
                  new TaskClaimBatchParams(options.nodeId(), options.lease(), wants)))
          .collectList()
          .subscribe(
              tasks -> onClaimed(wants, tasks, generation, sent), e -> onClaimFailed(wants, e));
    }
  }

  private List<ClaimWant> plan(long generation) {
    int share = (options.maxInFlight() + MAX_CLAIMS_IN_FLIGHT - 1) / MAX_CLAIMS_IN_FLIGHT;
    int budget = Math.min(share, options.maxInFlight() - holdings.count() - reserved.get());
    List<ReceiverRuntime> all = routes.all();
    List<ClaimWant> wants = new ArrayList<>();
    if (budget <= 0 || all.isEmpty()) {
      return wants;
    }
    // Claim only when some route has enough room to be worth a round trip; then let every route
    // with any room ride along in the same statement, so that routes topping up one slot at a time
    // (slow receivers) do not spend the claim budget of the others.
    boolean worthIt = false;
    long now = scheduler.now(TimeUnit.NANOSECONDS);
    for (ReceiverRuntime rt : all) {
      // A route's minimum is capped at half a claim's share: a route whose room exceeds the node's
      // window would otherwise wait for more free slots than a claim may ask for. A rate-limited
      // route takes what its window has left.
      int min = rt.rate == null ? Math.min(rt.minClaim(), Math.max(1, share / 2)) : 1;
      if (!rt.maybeMore(generation)) {
        continue;
      }
      int can = rt.claimableNow(now);
      if (can <= 0 && rt.rate != null && rt.claimable() > 0) {
        // Its rate window is spent: claim again when the next one has opened (the timer counts
        // whole milliseconds).
        wakeAfter.accept(rt.rate.untilNextWindow(now).plusMillis(1));
      }
      if (Math.min(can, budget) >= min) {
        worthIt = true;
      }
    }
    if (!worthIt) {
      return wants;
    }
    int start = Math.floorMod(roundRobin++, all.size());
    for (int i = 0; i < all.size() && budget > 0; i++) {
      ReceiverRuntime rt = all.get((start + i) % all.size());
      if (!rt.maybeMore(generation)) {
        continue;
      }
      int n = Math.min(rt.claimableNow(now), budget);
      if (n > 0) {
        wants.add(
            new ClaimWant(
                rt.route.signal(),
                rt.route.receiverName(),
                n,
                rt.claimSince(CLAIM_MARGIN),
                rt.route.options().deadLetterBlocksKey(),
                rt.route.options().fleetConcurrency()));
        rt.reserved.addAndGet(n);
        reserved.addAndGet(n);
        budget -= n;
      }
    }
    return wants;
  }

  private void unreserve(List<ClaimWant> wants) {
    for (ClaimWant w : wants) {
      routes.get(w.signal(), w.receiver()).reserved.addAndGet(-w.limit());
      reserved.addAndGet(-w.limit());
    }
  }

  private void onClaimed(
      List<ClaimWant> wants, List<ClaimedTask> tasks, long generation, long sent) {
    claimFailures = 0;
    long deadline = sent + options.lease().toNanos();
    Map<ReceiverRuntime, Integer> counts = new HashMap<>();
    Map<ReceiverRuntime, ClaimedTask> latest = new HashMap<>();
    List<ClaimedTask> orphans = new ArrayList<>();
    for (ClaimedTask task : tasks) {
      ReceiverRuntime rt = routes.get(task.signal(), task.receiver());
      if (rt == null) {
        orphans.add(task);
        continue;
      }
      // Held before the reservation is given back: the room is never promised twice.
      rt.ready.add(holdings.add(task, rt, deadline));
      if (rt.rate != null) {
        rt.rate.consume(scheduler.now(TimeUnit.NANOSECONDS), 1);
      }
      latest.merge(rt, task, (a, b) -> a.runAt().isAfter(b.runAt()) ? a : b);
      counts.merge(rt, 1, Integer::sum);
    }
    unreserve(wants);
    // A short claim does not mean the table is empty: SKIP LOCKED passes over rows that a
    // concurrent claim holds. Only an empty claim stops claiming for a route, until a wakeup that
    // came after this claim was planned.
    for (ClaimWant w : wants) {
      ReceiverRuntime rt = routes.get(w.signal(), w.receiver());
      int found = counts.getOrDefault(rt, 0);
      if (found == 0) {
        rt.emptyAt.accumulateAndGet(generation, Math::max);
      } else {
        ClaimedTask last = latest.get(rt);
        rt.claimed(found, w.limit(), last.runAt(), last.openSince(), options.pollInterval());
      }
    }
    if (!orphans.isEmpty()) {
      // Cannot happen with a correct store: it returned a pair we never asked for.
      calls
          .limit(
              "taskRelease",
              store.taskRelease(
                  new TaskReleaseParams(
                      new TaskTokens(
                          options.nodeId(),
                          orphans.stream().mapToLong(ClaimedTask::id).toArray(),
                          orphans.stream().mapToInt(ClaimedTask::attempt).toArray()),
                      true)))
          .subscribe(
              null, e -> log.warn("Herald could not release foreign tasks: {}", e.toString()));
    }
    claims.decrementAndGet();
    changed.run();
    drain();
  }

  private void onClaimFailed(List<ClaimWant> wants, Throwable error) {
    unreserve(wants);
    // What this claim would have taken may lie behind positions other claims set meanwhile.
    for (ClaimWant w : wants) {
      routes.get(w.signal(), w.receiver()).sweepNext();
    }
    int failures = ++claimFailures;
    long backoff = Math.min(options.pollInterval().toMillis(), 50L << Math.min(10, failures - 1));
    log.warn(
        "Herald claim failed ({} in a row); retrying in {} ms: {}",
        failures,
        backoff,
        error.toString());
    claims.decrementAndGet();
    changed.run();
    if (open) {
      scheduler.schedule(this::wake, backoff, TimeUnit.MILLISECONDS);
    }
  }
}
