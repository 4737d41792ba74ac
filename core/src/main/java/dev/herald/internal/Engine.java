package dev.herald.internal;

import dev.herald.Delivery;
import dev.herald.HeraldEvent;
import dev.herald.HeraldOptions;
import dev.herald.NotifyMode;
import dev.herald.PayloadCodec;
import dev.herald.PayloadEncodingException;
import dev.herald.PermanentFailureException;
import dev.herald.spi.ClaimWant;
import dev.herald.spi.ClaimedTask;
import dev.herald.spi.TaskClaimBatchParams;
import dev.herald.spi.TaskDeadLetterParams;
import dev.herald.spi.TaskExtendLeaseParams;
import dev.herald.spi.TaskInsertManyParams;
import dev.herald.spi.TaskReleaseParams;
import dev.herald.spi.TaskRetryLaterParams;
import dev.herald.spi.TaskStore;
import dev.herald.spi.TaskTokensParams;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dispatcher of one Herald instance: claims tasks only into free slots (a global bound and one
 * per receiver, zero while a receiver's breaker is open), runs each through timeout and breaker,
 * records the outcome fenced by its claim token, extends the leases of what it holds, and on close
 * finishes or releases everything it claimed.
 */
public final class Engine {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);
  private static final JsonMapper HEADERS = JsonMapper.builder().build();
  // Built here, on the class-loading thread, so header decoding never builds a deserializer (and
  // takes Jackson's cache lock) on an event loop.
  private static final ObjectReader HEADER_READER =
      HEADERS.readerFor(new TypeReference<Map<String, String>>() {});
  private static final ObjectWriter HEADER_WRITER =
      HEADERS.writerFor(new TypeReference<Map<String, String>>() {});
  private static final int MAX_ERROR_LENGTH = 2000;

  // Marks a receiver's success in the outcome stream, which otherwise carries its error.
  private static final Throwable NO_ERROR = new Throwable("no error", null, false, false) {};

  private enum State {
    NEW,
    RUNNING,
    STOPPING,
    STOPPED
  }

  private final TaskStore store;
  private final HeraldOptions options;
  private final PayloadCodec codec;
  private final Scheduler scheduler;
  private final String owner;
  private final boolean immediate;

  private final Map<String, ReceiverRuntime> runtimes = new LinkedHashMap<>();
  private final Map<String, List<String>> receiversBySignal = new HashMap<>();
  private volatile List<ReceiverRuntime> order = List.of();

  private final Sinks.Many<HeraldEvent> events =
      Sinks.unsafe().many().multicast().directBestEffort();
  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong lastNotifyNanos = new AtomicLong(Long.MIN_VALUE);
  private final Map<Long, ClaimedTask> owned = new ConcurrentHashMap<>();
  private final Map<Long, Disposable> running = new ConcurrentHashMap<>();
  private final Disposable.Composite background = Disposables.composite();
  private final Sinks.Empty<Void> idle = Sinks.empty();

  private volatile State state = State.NEW;
  // Two claims in flight overlap one claim's round trip with the other's rows being delivered.
  private static final int MAX_CLAIMS_IN_FLIGHT = 2;

  private final AtomicInteger claims = new AtomicInteger();
  private final AtomicBoolean followUp = new AtomicBoolean();
  // Counts wakeups, so that a claim planned before a wakeup cannot cancel it by coming back empty.
  private final AtomicLong wakes = new AtomicLong();
  private final AtomicInteger reserved = new AtomicInteger();
  private volatile int claimFailures;
  private int roundRobin;
  private Completer completer;
  private Mono<Void> closing;

  /**
   * Creates an engine.
   *
   * @param store the task store
   * @param options engine options
   * @param codec payload codec
   * @param scheduler timers and timeouts
   */
  public Engine(TaskStore store, HeraldOptions options, PayloadCodec codec, Scheduler scheduler) {
    this.store = store;
    this.options = options;
    this.codec = codec;
    this.scheduler = scheduler;
    this.owner = options.nodeId();
    this.immediate = store.deliversOnCommit();
  }

  /**
   * Registers a route; only before {@link #start()}.
   *
   * @param route the route
   */
  public synchronized void register(Route<?> route) {
    if (state != State.NEW) {
      throw new IllegalStateException(
          "connect receivers before start(): "
              + route.signal()
              + " -> "
              + route.receiverName()
              + " arrived after the dispatcher started");
    }
    if (runtimes.containsKey(route.key())) {
      throw new IllegalArgumentException(
          "receiver '"
              + route.receiverName()
              + "' is already connected to signal '"
              + route.signal()
              + "'");
    }
    codec.prepare(route.type());
    ReceiverRuntime rt = new ReceiverRuntime(route);
    rt.breaker
        .getEventPublisher()
        .onStateTransition(
            e -> {
              emit(
                  new HeraldEvent.BreakerStateChanged(
                      route.signal(),
                      route.receiverName(),
                      e.getStateTransition().getFromState(),
                      e.getStateTransition().getToState()));
              rt.maybeMore = true;
              drain();
            });
    runtimes.put(route.key(), rt);
    receiversBySignal
        .computeIfAbsent(route.signal(), s -> new ArrayList<>())
        .add(route.receiverName());
    order = List.copyOf(runtimes.values());
  }

  /**
   * The (signal, receiver) keys this node delivers.
   *
   * @return the keys
   */
  public Set<String> knownKeys() {
    return Set.copyOf(runtimes.keySet());
  }

  /**
   * Whether this node delivers the pair.
   *
   * @param signal the signal
   * @param receiver the receiver
   * @return true if connected here
   */
  public boolean knows(String signal, String receiver) {
    return runtimes.containsKey(Route.key(signal, receiver));
  }

  /**
   * Hot stream of engine events; late subscribers see only later events.
   *
   * @return the events
   */
  public Flux<HeraldEvent> events() {
    return events.asFlux();
  }

  /**
   * This node's owner id.
   *
   * @return the id
   */
  public String owner() {
    return owner;
  }

  // ---------------------------------------------------------------- sending

  /**
   * Enqueues one task per connected receiver on the caller's transaction.
   *
   * @param signal the signal
   * @param payload the payload
   * @param headers headers
   * @return completes when written
   */
  public Mono<Void> send(String signal, Object payload, Map<String, String> headers) {
    return Mono.deferContextual(
        ctx ->
            store
                .senderTransaction(ctx, signal)
                .flatMap(
                    tx -> {
                      List<String> receivers = receiversFor(signal);
                      if (receivers.isEmpty()) {
                        return Mono.empty();
                      }
                      String encoded;
                      String encodedHeaders;
                      try {
                        encoded = codec.encode(payload);
                        encodedHeaders =
                            headers.isEmpty() ? "{}" : HEADER_WRITER.writeValueAsString(headers);
                      } catch (RuntimeException e) {
                        return Mono.error(new PayloadEncodingException(signal, e));
                      }
                      TaskInsertManyParams params =
                          new TaskInsertManyParams(
                              signal, receivers, encoded, encodedHeaders, notifyChannel());
                      return tx.taskInsertMany(params)
                          .then(Mono.fromRunnable(() -> tx.afterCommit(this::afterLocalCommit)));
                    }));
  }

  private synchronized List<String> receiversFor(String signal) {
    return List.copyOf(receiversBySignal.getOrDefault(signal, List.of()));
  }

  private String notifyChannel() {
    NotifyMode mode = options.notifyMode();
    if (immediate || mode == NotifyMode.NONE) {
      return null;
    }
    if (mode == NotifyMode.EVERY_TRANSACTION) {
      return store.channel();
    }
    long now = System.nanoTime();
    long last = lastNotifyNanos.get();
    long window = options.notifyWindow().toNanos();
    if (last != Long.MIN_VALUE && now - last < window) {
      return null;
    }
    return lastNotifyNanos.compareAndSet(last, now) ? store.channel() : null;
  }

  private Mono<Void> afterLocalCommit() {
    if (immediate) {
      return deliverNow();
    }
    return Mono.fromRunnable(this::wake);
  }

  // ---------------------------------------------------------------- lifecycle

  /** Starts dispatching; idempotent. */
  public synchronized void start() {
    if (state != State.NEW) {
      return;
    }
    state = State.RUNNING;
    if (immediate) {
      return;
    }
    completer =
        new Completer(
            store, owner, options, scheduler, this::onCompleted, t -> owned.remove(t.id()));
    background.add(
        Flux.interval(options.pollInterval(), options.pollInterval(), scheduler)
            .onBackpressureDrop()
            .subscribe(t -> wake()));
    background.add(
        store
            .wakeups()
            .onBackpressureLatest()
            .subscribe(
                w -> {
                  wake();
                  // A sender within the notify window skipped its NOTIFY: look once more after it
                  // (one pending look at a time, however many notifications arrive).
                  if (followUp.compareAndSet(false, true)) {
                    scheduler.schedule(
                        () -> {
                          followUp.set(false);
                          wake();
                        },
                        options.notifyWindow().toMillis(),
                        TimeUnit.MILLISECONDS);
                  }
                },
                e ->
                    log.error("Herald wakeup listener ended with an error; polling continues", e)));
    Duration every = options.lease().dividedBy(3);
    background.add(
        Flux.interval(every, every, scheduler)
            .onBackpressureDrop()
            .concatMap(t -> extendLeases())
            .subscribe());
    wake();
  }

  /**
   * Stops claiming, lets in-flight deliveries finish within the grace period, records their
   * outcomes, then releases whatever this node still holds.
   *
   * @return completes when this node holds no task
   */
  public synchronized Mono<Void> close() {
    if (closing != null) {
      return closing;
    }
    State was = state;
    state = State.STOPPING;
    if (was != State.RUNNING || immediate) {
      state = State.STOPPED;
      closing = Mono.<Void>empty().cache();
      return closing;
    }
    background.dispose();
    checkIdle();
    closing =
        idle.asMono()
            .timeout(options.shutdownGrace(), scheduler)
            .onErrorResume(TimeoutException.class, e -> cancelRunning())
            .then(Mono.defer(completer::close))
            .then(Mono.defer(this::releaseOwned))
            .doFinally(s -> state = State.STOPPED)
            .cache();
    return closing;
  }

  /**
   * Stops at once as a killed process would: no more claims, running deliveries abandoned, nothing
   * acknowledged, released or extended. For crash-recovery tests only.
   */
  public synchronized void crash() {
    state = State.STOPPED;
    closing = Mono.<Void>empty().cache();
    background.dispose();
    if (completer != null) {
      completer.kill();
    }
    running.values().forEach(Disposable::dispose);
    running.clear();
    owned.clear();
  }

  private Mono<Void> cancelRunning() {
    log.warn(
        "Herald shutdown grace of {} elapsed with {} deliveries running; cancelling them",
        options.shutdownGrace(),
        running.size());
    running.values().forEach(Disposable::dispose);
    running.clear();
    return Mono.empty();
  }

  private Mono<Void> releaseOwned() {
    List<ClaimedTask> left = new ArrayList<>(owned.values());
    if (left.isEmpty()) {
      return Mono.empty();
    }
    return store
        .taskRelease(new TaskReleaseParams(tokens(left), false))
        .doOnNext(n -> log.info("Herald released {} tasks at shutdown", n))
        .doOnSuccess(n -> left.forEach(t -> owned.remove(t.id())))
        .onErrorResume(
            e -> {
              log.warn(
                  "Herald could not release {} tasks; their leases will expire", left.size(), e);
              return Mono.empty();
            })
        .then();
  }

  private void checkIdle() {
    if (state == State.STOPPING && inFlight.get() == 0 && claims.get() == 0) {
      idle.tryEmitEmpty();
    }
  }

  // ---------------------------------------------------------------- claiming

  /** Something may be due: new tasks, a free slot, a closed breaker. */
  public void wake() {
    wakes.incrementAndGet();
    for (ReceiverRuntime rt : order) {
      rt.maybeMore = true;
    }
    drain();
  }

  private void drain() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      claimIfUseful();
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  // Runs serialized by drain(). Slots are reserved before a claim is sent and turned into
  // in-flight deliveries (or given back) when it returns, so concurrent claims never promise the
  // same slot twice: counts only shrink under a reservation and only grow when deliveries finish.
  private void claimIfUseful() {
    while (state == State.RUNNING && !immediate && claims.get() < MAX_CLAIMS_IN_FLIGHT) {
      long generation = wakes.get();
      List<ClaimWant> wants = plan();
      if (wants.isEmpty()) {
        return;
      }
      claims.incrementAndGet();
      store
          .taskClaimBatch(new TaskClaimBatchParams(owner, options.lease(), wants))
          .collectList()
          .subscribe(tasks -> onClaimed(wants, tasks, generation), e -> onClaimFailed(wants, e));
    }
  }

  private List<ClaimWant> plan() {
    int budget = options.maxInFlight() - inFlight.get() - reserved.get();
    List<ReceiverRuntime> routes = order;
    List<ClaimWant> wants = new ArrayList<>();
    if (budget <= 0 || routes.isEmpty()) {
      return wants;
    }
    // Claim only when some route has enough free slots to be worth a round trip; then let every
    // route with any free slot ride along in the same statement, so that routes topping up one
    // slot at a time (slow receivers) do not spend the claim budget of the others.
    boolean worthIt = false;
    for (ReceiverRuntime rt : routes) {
      if (rt.maybeMore && Math.min(rt.freeSlots(), budget) >= rt.minClaim()) {
        worthIt = true;
        break;
      }
    }
    if (!worthIt) {
      return wants;
    }
    int start = Math.floorMod(roundRobin++, routes.size());
    for (int i = 0; i < routes.size() && budget > 0; i++) {
      ReceiverRuntime rt = routes.get((start + i) % routes.size());
      if (!rt.maybeMore) {
        continue;
      }
      int n = Math.min(rt.freeSlots(), budget);
      if (n > 0) {
        wants.add(new ClaimWant(rt.route.signal(), rt.route.receiverName(), n));
        rt.reserved.addAndGet(n);
        reserved.addAndGet(n);
        budget -= n;
      }
    }
    return wants;
  }

  private void unreserve(List<ClaimWant> wants) {
    for (ClaimWant w : wants) {
      runtimes.get(Route.key(w.signal(), w.receiver())).reserved.addAndGet(-w.limit());
      reserved.addAndGet(-w.limit());
    }
  }

  private void onClaimed(List<ClaimWant> wants, List<ClaimedTask> tasks, long generation) {
    claimFailures = 0;
    Map<String, Integer> counts = new HashMap<>();
    List<ClaimedTask> orphans = new ArrayList<>();
    for (ClaimedTask task : tasks) {
      ReceiverRuntime rt = runtimes.get(Route.key(task.signal(), task.receiver()));
      if (rt == null) {
        orphans.add(task);
        continue;
      }
      owned.put(task.id(), task);
      inFlight.incrementAndGet();
      rt.inFlight.incrementAndGet();
      counts.merge(Route.key(task.signal(), task.receiver()), 1, Integer::sum);
    }
    unreserve(wants);
    // A short claim does not mean the table is empty: SKIP LOCKED passes over rows that a
    // concurrent claim (this node's other claim, or another node's) holds. Only an empty claim
    // stops claiming for a route until the next wakeup, and only if no wakeup came meanwhile
    // (the claim may have been planned before the commit that woke us).
    boolean wokenSince = wakes.get() != generation;
    for (ClaimWant w : wants) {
      ReceiverRuntime rt = runtimes.get(Route.key(w.signal(), w.receiver()));
      rt.maybeMore = wokenSince || counts.getOrDefault(Route.key(w.signal(), w.receiver()), 0) > 0;
    }
    if (!orphans.isEmpty()) {
      // Cannot happen with a correct store: it returned a pair we never asked for.
      store.taskRelease(new TaskReleaseParams(tokens(orphans), true)).subscribe();
    }
    claims.decrementAndGet();
    for (ClaimedTask task : tasks) {
      ReceiverRuntime rt = runtimes.get(Route.key(task.signal(), task.receiver()));
      if (rt != null) {
        dispatch(rt, task);
      }
    }
    checkIdle();
    drain();
  }

  private void onClaimFailed(List<ClaimWant> wants, Throwable error) {
    unreserve(wants);
    int failures = ++claimFailures;
    long backoff = Math.min(options.pollInterval().toMillis(), 50L << Math.min(10, failures - 1));
    log.warn("Herald claim failed ({} in a row); retrying in {} ms", failures, backoff, error);
    claims.decrementAndGet();
    checkIdle();
    if (state == State.RUNNING) {
      scheduler.schedule(this::wake, backoff, TimeUnit.MILLISECONDS);
    }
  }

  private Mono<Void> extendLeases() {
    if (owned.isEmpty()) {
      return Mono.empty();
    }
    List<ClaimedTask> held = new ArrayList<>(owned.values());
    return store
        .taskExtendLease(new TaskExtendLeaseParams(tokens(held), options.lease()))
        .doOnNext(
            n -> {
              if (n < held.size()) {
                log.debug(
                    "Herald extended {} of {} leases (others finished meanwhile)", n, held.size());
              }
            })
        .onErrorResume(
            e -> {
              log.warn("Herald could not extend {} leases", held.size(), e);
              return Mono.empty();
            })
        .then();
  }

  // ---------------------------------------------------------------- delivering

  private void dispatch(ReceiverRuntime rt, ClaimedTask task) {
    AtomicBoolean freed = new AtomicBoolean();
    Runnable done =
        () -> {
          if (freed.compareAndSet(false, true)) {
            slotFreed(rt, task);
          }
        };
    // Registered before subscribing, so a delivery that finishes at once still unregisters.
    Disposable.Swap handle = Disposables.swap();
    running.put(task.id(), handle);
    // Whatever escapes an attempt (a codec or receiver throwing an Error, a store failure while
    // recording the outcome) must not strand the task: free its slot and give it back.
    handle.update(
        Mono.defer(() -> attempt(rt, task, done))
            .onErrorResume(
                e -> {
                  log.error("Herald could not finish task {}; releasing it", task.id(), e);
                  done.run();
                  return store
                      .taskRelease(new TaskReleaseParams(tokens(List.of(task)), false))
                      .doFinally(s -> owned.remove(task.id()))
                      .then();
                })
            .subscribe(
                null,
                e ->
                    log.error(
                        "Herald failed to release task {}; its lease will expire", task.id(), e)));
  }

  private void slotFreed(ReceiverRuntime rt, ClaimedTask task) {
    running.remove(task.id());
    rt.inFlight.decrementAndGet();
    inFlight.decrementAndGet();
    checkIdle();
    drain();
  }

  /**
   * One attempt: decode, run the receiver under timeout and breaker, then record the outcome.
   * {@code receiverDone} frees the task's slot: after a success once the task is queued for
   * acknowledgement, after a failure once the outcome is recorded, so that a shutdown waiting for
   * free slots never overtakes an outcome.
   */
  private Mono<Void> attempt(ReceiverRuntime rt, ClaimedTask task, Runnable receiverDone) {
    Route<?> route = rt.route;
    Delivery<?> delivery;
    try {
      delivery = toDelivery(route, task);
    } catch (Throwable e) {
      // A codec may throw Errors too; only JVM-fatal ones propagate.
      Exceptions.throwIfJvmFatal(e);
      return deadLetter(task, "undecodable payload: " + describe(e))
          .doFinally(s -> receiverDone.run());
    }
    int maxAttempts = route.options().retryPolicy().maxAttempts();
    if (task.attempt() > maxAttempts) {
      return deadLetter(
              task,
              "attempt "
                  + task.attempt()
                  + " exceeds maxAttempts "
                  + maxAttempts
                  + ": earlier attempts never reported back (their dispatcher crashed or hung)")
          .doFinally(s -> receiverDone.run());
    }
    long started = System.nanoTime();
    return invoke(route, delivery)
        .timeout(route.options().timeout(), scheduler)
        .transformDeferred(CircuitBreakerOperator.of(rt.breaker))
        .then(Mono.just(NO_ERROR))
        .onErrorResume(Mono::just)
        .flatMap(
            outcome -> {
              if (outcome == NO_ERROR) {
                Mono<Void> ack = succeeded(task, Duration.ofNanos(System.nanoTime() - started));
                receiverDone.run();
                return ack;
              }
              return failed(rt, task, outcome).doFinally(s -> receiverDone.run());
            });
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Mono<Void> invoke(Route route, Delivery delivery) {
    return Mono.defer(() -> route.receiver().receive(delivery));
  }

  private Delivery<?> toDelivery(Route<?> route, ClaimedTask task) {
    Object payload = codec.decode(task.payload(), route.type());
    if (payload == null) {
      throw new IllegalArgumentException("payload decoded to null");
    }
    String h = task.headers();
    Map<String, String> headers =
        h == null || h.equals("{}") ? Map.of() : HEADER_READER.readValue(h);
    return newDelivery(route, task, payload, headers);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Delivery<?> newDelivery(
      Route<?> route, ClaimedTask task, Object payload, Map<String, String> headers) {
    return new Delivery(
        route.signal(),
        route.receiverName(),
        task.id(),
        task.attempt(),
        task.createdAt() == null ? Instant.EPOCH : task.createdAt(),
        headers,
        payload);
  }

  private Mono<Void> succeeded(ClaimedTask task, Duration took) {
    if (immediate) {
      return store
          .taskCompleteMany(tokens(List.of(task)))
          .doOnSuccess(n -> onCompleted(task, took))
          .then();
    }
    completer.add(task, took);
    return Mono.empty();
  }

  private void onCompleted(ClaimedTask task, Duration took) {
    owned.remove(task.id());
    emit(
        new HeraldEvent.Delivered(task.signal(), task.receiver(), task.id(), task.attempt(), took));
  }

  private Mono<Void> failed(ReceiverRuntime rt, ClaimedTask task, Throwable error) {
    if (error instanceof CallNotPermittedException) {
      // Not attempted: give the task back without counting the attempt its claim added.
      return store
          .taskRelease(new TaskReleaseParams(tokens(List.of(task)), true))
          .doOnSuccess(
              n -> {
                owned.remove(task.id());
                emit(
                    new HeraldEvent.Released(
                        task.signal(), task.receiver(), task.id(), "circuit breaker open"));
              })
          .then();
    }
    PermanentFailureException permanent = permanentCause(error);
    if (permanent != null) {
      return deadLetter(task, "permanent failure: " + describe(permanent));
    }
    String reason =
        error instanceof TimeoutException
            ? "timed out after " + rt.route.options().timeout()
            : describe(error);
    if (!rt.route.options().retryPolicy().retriesAfter(task.attempt())) {
      return deadLetter(task, "gave up after " + task.attempt() + " attempts: " + reason);
    }
    Duration delay =
        immediate
            ? Duration.ZERO
            : rt.route
                .options()
                .retryPolicy()
                .delayAfter(task.attempt(), ThreadLocalRandom.current()::nextDouble);
    return store
        .taskRetryLater(new TaskRetryLaterParams(owner, task.id(), task.attempt(), delay, reason))
        .doOnSuccess(
            ok -> {
              owned.remove(task.id());
              emit(
                  new HeraldEvent.Retried(
                      task.signal(), task.receiver(), task.id(), task.attempt(), delay, reason));
              if (!immediate) {
                scheduler.schedule(this::wake, delay.toMillis(), TimeUnit.MILLISECONDS);
              }
            })
        .then();
  }

  private Mono<Void> deadLetter(ClaimedTask task, String reason) {
    String bounded = truncate(reason);
    return store
        .taskDeadLetter(new TaskDeadLetterParams(owner, task.id(), task.attempt(), bounded))
        .doOnSuccess(
            ok -> {
              owned.remove(task.id());
              emit(
                  new HeraldEvent.DeadLettered(
                      task.signal(), task.receiver(), task.id(), task.attempt(), bounded));
            })
        .then();
  }

  private static PermanentFailureException permanentCause(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof PermanentFailureException p) {
        return p;
      }
    }
    return null;
  }

  private static String describe(Throwable e) {
    return e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private static String truncate(String s) {
    return s.length() <= MAX_ERROR_LENGTH ? s : s.substring(0, MAX_ERROR_LENGTH) + "…";
  }

  // ---------------------------------------------------------------- immediate mode

  /**
   * Delivers every due task of the routes connected here, in this subscription, retrying failures
   * without delay until each task succeeds or is dead-lettered. The test-mode path.
   *
   * @return completes when nothing is due
   */
  public Mono<Void> deliverNow() {
    List<ClaimWant> wants = new ArrayList<>();
    for (ReceiverRuntime rt : order) {
      wants.add(new ClaimWant(rt.route.signal(), rt.route.receiverName(), Integer.MAX_VALUE));
    }
    if (wants.isEmpty()) {
      return Mono.empty();
    }
    return store
        .taskClaimBatch(new TaskClaimBatchParams(owner, options.lease(), wants))
        .concatMap(
            task -> {
              ReceiverRuntime rt = runtimes.get(Route.key(task.signal(), task.receiver()));
              owned.put(task.id(), task);
              return attempt(rt, task, () -> {}).thenReturn(1);
            })
        .count()
        .flatMap(n -> n > 0 ? deliverNow() : Mono.empty());
  }

  // ---------------------------------------------------------------- helpers

  private void emit(HeraldEvent event) {
    synchronized (events) {
      events.tryEmitNext(event);
    }
  }

  static TaskTokensParams tokens(String owner, Collection<ClaimedTask> tasks) {
    long[] ids = new long[tasks.size()];
    int[] attempts = new int[tasks.size()];
    int i = 0;
    for (ClaimedTask t : tasks) {
      ids[i] = t.id();
      attempts[i++] = t.attempt();
    }
    return new TaskTokensParams(owner, ids, attempts);
  }

  private TaskTokensParams tokens(Collection<ClaimedTask> tasks) {
    return tokens(owner, tasks);
  }
}
