package dev.herald;

import dev.herald.spi.ClaimedTask;
import dev.herald.spi.ReceiverKey;
import dev.herald.spi.TaskCancelParams;
import dev.herald.spi.TaskFindParams;
import dev.herald.spi.TaskReleaseOwnedParams;
import dev.herald.spi.TaskStore;
import dev.herald.spi.Wakeup;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * One Herald instance's engine: wires the dispatcher, the outcome writer, the lease keeper and the
 * send path over one store, and runs their lifecycle.
 *
 * <p>Close, in order: stop listening and claiming (claims in flight are awaited; what they and the
 * ready queues bring is released, never started); let running deliveries finish within the grace
 * period, then cancel the rest (released, attempt counted); wait until every held task's outcome is
 * recorded or its lease lost, extending leases all along; then release by owner whatever claims
 * whose answer never arrived may have leased.
 */
final class Engine {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private enum State {
    NEW,
    RUNNING,
    STOPPING,
    STOPPED
  }

  private record Waiter(BooleanSupplier condition, Sinks.Empty<Void> done) {}

  private final TaskStore store;
  private final HeraldOptions options;
  private final PayloadCodec codec;
  private final Scheduler scheduler;
  private final boolean immediate;

  private final Routes routes = new Routes();
  private final EventBus events = new EventBus();
  private final Hooks hooks = new Hooks();
  private final StoreCalls calls;
  private final Holdings holdings;
  private final OutcomeWrites writes;
  private final DueTimer retries;
  private final OutcomeWriter writer;
  private final Dispatcher dispatcher;
  private final LeaseKeeper leaseKeeper;
  private final Notifier notifier;
  private final SendPath sendPath;
  private final ImmediateMode immediateMode;
  private final StatsQuery statsQuery;
  private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
  private final Disposable.Composite listening = Disposables.composite();
  private final Disposable.Swap leaseKeeping = Disposables.swap();
  // Observers' periodic work (metrics' statistics), stopped when the engine closes.
  private final Disposable.Composite observing = Disposables.composite();

  private volatile State state = State.NEW;
  // Written by the wakeup subscription only; read by health checks.
  private volatile boolean listenerUp;
  private Mono<Void> closing;

  /**
   * Creates an engine.
   *
   * @param store the task store
   * @param options engine options
   * @param codec payload codec
   * @param scheduler timers and timeouts
   * @param observing where sends and attempts are observed
   */
  Engine(
      TaskStore store,
      boolean deliversOnCommit,
      HeraldOptions options,
      PayloadCodec codec,
      Scheduler scheduler,
      Observing observing) {
    this.store = store;
    this.options = options;
    this.codec = codec;
    this.scheduler = scheduler;
    this.immediate = deliversOnCommit;
    this.calls = new StoreCalls(options.storeTimeout(), scheduler, events);
    this.holdings = new Holdings(options.nodeId(), this::slotFreed);
    this.writes =
        new OutcomeWrites(
            store,
            calls,
            events,
            hooks,
            options.nodeId(),
            options.retention() != null,
            this::recorded);
    Attempt attempt = new Attempt(codec, scheduler, immediate, hooks, observing);
    this.immediateMode = new ImmediateMode(store, options, routes, attempt, writes);
    if (immediate) {
      this.retries = null;
      this.writer = null;
      this.dispatcher = null;
      this.leaseKeeper = null;
      this.notifier = null;
    } else {
      this.retries = new DueTimer(scheduler, this::wake);
      this.writer = new OutcomeWriter(writes, holdings, options, scheduler, retries);
      this.dispatcher =
          new Dispatcher(
              store,
              calls,
              options,
              scheduler,
              routes,
              holdings,
              writer,
              writes,
              attempt,
              this::changed,
              retries::wakeAfter);
      this.leaseKeeper = new LeaseKeeper(store, calls, holdings, writes, options.lease());
      this.notifier = new Notifier(store, calls, scheduler, options.notifyWindow());
    }
    this.statsQuery = new StatsQuery(store, calls, routes);
    this.sendPath =
        new SendPath(
            store,
            codec,
            options,
            routes,
            immediate,
            notifier,
            hooks,
            this::afterLocalCommit,
            this::wakeAfter,
            observing);
  }

  /**
   * Registers a route; only before {@link #start()}.
   *
   * @param route the route
   */
  synchronized void register(Route<?> route) {
    if (state != State.NEW) {
      throw new IllegalStateException(
          "connect receivers before start(): "
              + route.signal()
              + " -> "
              + route.receiverName()
              + " arrived after the dispatcher started");
    }
    codec.prepare(route.type());
    ReceiverRuntime rt = new ReceiverRuntime(route);
    routes.add(rt);
    if (rt.breaker != null) {
      rt.breaker
          .getEventPublisher()
          .onStateTransition(e -> breakerMoved(rt, e.getStateTransition()));
    }
  }

  private void breakerMoved(ReceiverRuntime rt, CircuitBreaker.StateTransition t) {
    if (t.getToState() == CircuitBreaker.State.OPEN) {
      log.warn("Herald circuit breaker of {} opened ({}): its tasks wait", rt.name(), t);
    } else {
      log.info("Herald circuit breaker of {}: {}", rt.name(), t);
    }
    events.emit(
        new HeraldEvent.BreakerStateChanged(
            rt.route.signal(),
            rt.route.receiverName(),
            state(t.getFromState()),
            state(t.getToState())));
    // A closing or half-opening breaker makes room to claim: a wakeup like any other.
    wake();
  }

  /**
   * Declares a receiver this node's sends write tasks for without running it; only before {@link
   * #start()}.
   */
  synchronized void declare(String signal, String receiver) {
    if (state != State.NEW) {
      throw new IllegalStateException(
          "declare receivers before start(): " + signal + " -> " + receiver);
    }
    routes.declare(signal, receiver);
  }

  void allowNoReceivers(String signal) {
    routes.allowNoReceivers(signal);
  }

  boolean declares(String signal, String receiver) {
    return routes.declares(signal, receiver);
  }

  // Herald's breakers move only between these three (no forced or disabled states).
  static BreakerState state(CircuitBreaker.State state) {
    return switch (state) {
      case OPEN, FORCED_OPEN -> BreakerState.OPEN;
      case HALF_OPEN -> BreakerState.HALF_OPEN;
      default -> BreakerState.CLOSED;
    };
  }

  /**
   * Whether the store holds a listening connection for this node now.
   *
   * @return false before start, while reconnecting, after close, and for stores that do not listen
   */
  boolean listening() {
    return listenerUp && state == State.RUNNING;
  }

  /**
   * Whether this node delivers the pair.
   *
   * @param signal the signal
   * @param receiver the receiver
   * @return true if connected here
   */
  boolean knows(String signal, String receiver) {
    return routes.get(signal, receiver) != null;
  }

  /**
   * Hot stream of engine events; late subscribers see only later events. Each subscriber consumes
   * on a worker of its own; one that falls behind misses events.
   *
   * @return the events
   */
  Flux<HeraldEvent> events() {
    return events.flux();
  }

  /** Per-receiver statistics; see {@link Herald#stats(int)}. */
  Flux<ReceiverStats> stats(int cap) {
    return statsQuery.stats(cap);
  }

  /** The statistics and this node's live state per pair. */
  StatsQuery statsQuery() {
    return statsQuery;
  }

  /** Adds an observer of the engine hooks; every observer hears everything from then on. */
  void observe(EngineHooks observer) {
    hooks.add(observer);
  }

  /** Runs {@code work} until the engine closes; disposes it at once if closing already began. */
  synchronized void untilClosed(Disposable work) {
    if (closing != null) {
      work.dispose();
    } else {
      observing.add(work);
    }
  }

  /** Timers and timeouts: what batch receivers schedule their sends on. */
  Scheduler scheduler() {
    return scheduler;
  }

  /**
   * This node's owner id.
   *
   * @return the id
   */
  String owner() {
    return options.nodeId();
  }

  /**
   * Enqueues one task per receiver on the caller's transaction.
   *
   * @param signal the signal
   * @param payload the payload
   * @param send headers and delay
   * @return completes when written
   */
  Mono<SendReceipt> send(String signal, Object payload, SendOptions send) {
    return sendPath.send(signal, payload, send);
  }

  /** The same without the receipt: the statement answers only its count. */
  Mono<Void> sendQuietly(String signal, Object payload, SendOptions send) {
    return sendPath.sendQuietly(signal, payload, send);
  }

  /** Tasks in any state by id or key; see {@link Herald#findTasks(String, String, int)}. */
  Flux<TaskInfo> find(TaskFindParams params) {
    return Flux.defer(() -> calls.limit("taskFind", store.taskFind(params))).map(TaskInfo::of);
  }

  Mono<Long> cancel(String signal, String dedupeKey) {
    return Flux.defer(() -> store.taskCancel(new TaskCancelParams(new long[0], signal, dedupeKey)))
        .count();
  }

  // A finished task may free another: the next task of its ordering key, which lies behind the
  // route's claim position (passed over while this one held it back), so the next claim sweeps
  // from the oldest task; or a place under the route's fleet-wide limit, which an empty claim
  // made the route wait for.
  private void recorded(ClaimedTask task) {
    if (immediate) {
      return;
    }
    ReceiverRuntime rt = routes.get(task.signal(), task.receiver());
    if (rt == null) {
      return;
    }
    if (task.orderKey() != null) {
      rt.sweepNext();
      wake();
    } else if (rt.route.options().fleetConcurrency() > 0) {
      wake();
    }
  }

  /** Wakes the dispatcher once a delayed send comes due (no dispatcher in immediate mode). */
  private void wakeAfter(Duration dueIn) {
    if (retries != null) {
      retries.wakeAfter(dueIn);
    }
  }

  private Mono<Void> afterLocalCommit() {
    return immediate ? immediateMode.deliverNow() : Mono.fromRunnable(this::wake);
  }

  // ---------------------------------------------------------------- lifecycle

  /** Starts dispatching; idempotent. */
  synchronized void start() {
    if (state != State.NEW) {
      return;
    }
    state = State.RUNNING;
    if (immediate) {
      return;
    }
    log.info(
        "Herald {} starting on channel {}: maxInFlight {}, lease {}, poll {}, notify {} ({}),"
            + " storeTimeout {}, receivers {}",
        options.nodeId(),
        store.channel(),
        options.maxInFlight(),
        options.lease(),
        options.pollInterval(),
        options.notifyMode(),
        options.notifyWindow(),
        options.storeTimeout(),
        routes.all().stream().map(ReceiverRuntime::name).toList());
    listening.add(
        Flux.interval(options.pollInterval(), options.pollInterval(), scheduler)
            .onBackpressureDrop()
            .subscribe(t -> dispatcher.sweep()));
    listening.add(
        store
            .wakeups()
            .onBackpressureLatest()
            .subscribe(
                w -> {
                  if (w == Wakeup.LOST) {
                    listenerUp = false;
                    return;
                  }
                  if (w == Wakeup.LISTENING) {
                    listenerUp = true;
                    log.info(
                        "Herald {} listening on channel {}", options.nodeId(), store.channel());
                  }
                  wake();
                },
                e ->
                    log.error("Herald wakeup listener ended with an error; polling continues", e)));
    List<ReceiverKey> registered = routes.registered();
    if (!registered.isEmpty()) {
      // Registered first (an interval's first tick is immediate), then kept seen every minute.
      Registrar registrar = new Registrar(store, calls, registered, options.nodeId(), scheduler);
      listening.add(every(Duration.ZERO, Registrar.EVERY, registrar::step));
    }
    if (options.retention() != null) {
      Expirer expirer = new Expirer(store, calls, options.retention());
      listening.add(every(Expirer.EVERY, Expirer.EVERY, expirer::step));
    }
    Rotator rotator = new Rotator(store, calls);
    listening.add(every(Rotator.EVERY, Rotator.EVERY, rotator::step));
    Duration third = options.lease().dividedBy(3);
    leaseKeeping.update(every(third, third, leaseKeeper::extend));
    dispatcher.open();
  }

  // A periodic step of upkeep: steps never overlap, and a tick that comes while one runs is
  // dropped.
  private Disposable every(Duration first, Duration period, Supplier<Mono<Void>> step) {
    return Flux.interval(first, period, scheduler)
        .onBackpressureDrop()
        .concatMap(t -> step.get())
        .subscribe();
  }

  /**
   * Stops claiming, lets running deliveries finish within the grace period, records every outcome,
   * then releases whatever this node still holds.
   *
   * @return completes when this node holds no task
   */
  synchronized Mono<Void> close() {
    if (closing != null) {
      return closing;
    }
    observing.dispose();
    State was = state;
    state = State.STOPPING;
    if (was != State.RUNNING || immediate) {
      state = State.STOPPED;
      closing = Mono.<Void>empty().cache();
      return closing;
    }
    log.info(
        "Herald {} stopping: {} tasks held, {} running, {} claims in flight",
        options.nodeId(),
        holdings.count(),
        dispatcher.running(),
        dispatcher.claimsInFlight());
    listening.dispose();
    dispatcher.stop();
    closing =
        when(() -> dispatcher.claimsInFlight() == 0 && dispatcher.running() == 0)
            .timeout(options.shutdownGrace(), scheduler)
            .onErrorResume(
                TimeoutException.class,
                e -> {
                  log.warn(
                      "Herald shutdown grace of {} elapsed with {} deliveries running; cancelling"
                          + " them",
                      options.shutdownGrace(),
                      dispatcher.running());
                  dispatcher.cancelRunning();
                  return Mono.empty();
                })
            .then(when(() -> dispatcher.claimsInFlight() == 0 && holdings.count() == 0))
            .then(Mono.defer(this::releaseOwned))
            .doFinally(
                s -> {
                  leaseKeeping.dispose();
                  retries.stop();
                  notifier.stop();
                  state = State.STOPPED;
                  log.info("Herald {} stopped", options.nodeId());
                })
            .cache();
    return closing;
  }

  /**
   * Stops at once as a killed process would: no more claims, running deliveries abandoned, nothing
   * acknowledged, released or extended. For crash-recovery tests only.
   */
  synchronized void crash() {
    observing.dispose();
    state = State.STOPPED;
    closing = Mono.<Void>empty().cache();
    listening.dispose();
    leaseKeeping.dispose();
    if (!immediate) {
      writer.kill();
      dispatcher.kill();
      retries.stop();
      notifier.stop();
    }
    holdings.clear();
  }

  private Mono<Void> releaseOwned() {
    return calls
        .limit("taskReleaseOwned", store.taskReleaseOwned(new TaskReleaseOwnedParams(owner())))
        .doOnNext(
            n -> {
              if (n > 0) {
                log.info(
                    "Herald {} released {} tasks leased by claims whose answer never arrived",
                    owner(),
                    n);
              }
            })
        .onErrorResume(
            e -> {
              log.warn(
                  "Herald {} could not release its remaining leases; they expire within {}: {}",
                  owner(),
                  options.lease(),
                  e.toString());
              return Mono.empty();
            })
        .then();
  }

  /** Completes once {@code condition} holds; re-checked whenever a count changes. */
  private Mono<Void> when(BooleanSupplier condition) {
    return Mono.defer(
        () -> {
          Waiter w = new Waiter(condition, Sinks.empty());
          waiters.add(w);
          check(w);
          return w.done().asMono().doFinally(s -> waiters.remove(w));
        });
  }

  // A recorded outcome frees room to claim into.
  private void slotFreed() {
    changed();
    if (dispatcher != null) {
      dispatcher.drain();
    }
  }

  private void changed() {
    for (Waiter w : waiters) {
      check(w);
    }
  }

  private static void check(Waiter w) {
    if (w.condition().getAsBoolean()) {
      w.done().tryEmitEmpty();
    }
  }

  // ---------------------------------------------------------------- claiming

  /** Something may be due: new tasks, a free slot, a closed breaker. */
  private void wake() {
    if (dispatcher != null) {
      dispatcher.wake();
    }
  }
}
