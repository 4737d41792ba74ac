package dev.herald;

import dev.herald.spi.ReceiverRetireParams;
import dev.herald.spi.TaskCancelParams;
import dev.herald.spi.TaskDeadLetterReadyParams;
import dev.herald.spi.TaskFindParams;
import dev.herald.spi.TaskListParams;
import dev.herald.spi.TaskStore;
import io.micrometer.observation.ObservationRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A Herald instance: the signals and receivers of one application over one task store, and the
 * dispatcher that delivers their tasks.
 *
 * <p>Guarantee: a receiver runs if and only if the transaction that sent its signal committed, at
 * least once, whatever crashes in between (dispatcher killed, connections dropped, database
 * restarted). Duplicates are possible only for tasks in flight at a crash; receivers use {@link
 * Delivery#taskId()} to be idempotent.
 *
 * <p>Lifecycle: {@link #builder(Store) build}, declare {@link #signal(String, Class) signals} and
 * {@link Signal#connect connect} receivers, {@link #start()}, and {@link #close()} on shutdown. Any
 * number of instances, in one JVM or many, may share a table: each claims only tasks of the
 * receivers connected to it, so during a rolling deploy old nodes never take a new receiver's
 * tasks. Thread-safe.
 */
public final class Herald {

  private final TaskStore store;
  private final Engine engine;
  private final Map<String, Signal<?>> signals = new HashMap<>();
  private final DeadLetters deadLetters;
  private final PayloadCodec codec;

  private Herald(Builder b) {
    this.codec = b.codec;
    this.store = b.store.operations();
    this.engine =
        new Engine(store, b.store.deliversOnCommit(), b.options, b.codec, b.scheduler, b.observing);
    this.deadLetters = new DeadLetters(store);
  }

  /**
   * Starts building an instance over a store, such as {@code R2dbcTaskStore} or, in tests, {@code
   * dev.herald.testing.InMemoryTaskStore}.
   *
   * @param store the task store
   * @return a builder with default options
   */
  public static Builder builder(Store store) {
    return new Builder(store);
  }

  /**
   * Declares (or returns the already declared) signal with this name.
   *
   * @param name stable name (1 to 200 characters), stored with every task
   * @param type the payload type, encoded by the instance's {@link PayloadCodec}
   * @param <T> the payload type
   * @return the signal
   * @throws IllegalArgumentException if the name is invalid or was declared with another type
   */
  @SuppressWarnings("unchecked")
  public synchronized <T> Signal<T> signal(String name, Class<T> type) {
    Options.name("signal name", name);
    Objects.requireNonNull(type, "type");
    Signal<?> existing = signals.get(name);
    if (existing != null) {
      if (!existing.type().equals(type)) {
        throw new IllegalArgumentException(
            "signal '"
                + name
                + "' is declared with payload type "
                + existing.type().getName()
                + ", not "
                + type.getName());
      }
      return (Signal<T>) existing;
    }
    codec.prepare(type);
    Signal<T> signal = new Signal<>(engine, name, type);
    signals.put(name, signal);
    return signal;
  }

  /**
   * Creates or upgrades the task table; idempotent and safe to run from several nodes at once.
   *
   * @return completes when the schema is current
   */
  public Mono<Void> installSchema() {
    return Mono.defer(store::installSchema);
  }

  /**
   * Starts the dispatcher: it listens for wakeups, polls as a fallback, and claims tasks of the
   * connected receivers as slots free up. Idempotent; receivers must be connected before.
   *
   * @return this instance
   */
  public Herald start() {
    engine.start();
    return this;
  }

  /**
   * Shuts down gracefully: stops claiming (claims in flight are awaited and what they bring is
   * released, never started), releases tasks waiting for a slot, lets running deliveries finish
   * within the shutdown grace period and cancels the rest, records every outcome, and releases
   * whatever this node still holds so that other nodes can take them at once. Leases are extended
   * throughout, so a grace longer than the lease is safe. No receiver starts after the returned
   * {@code Mono} completed. Released tasks emit {@code Released}: not started, their attempt is
   * refunded; cancelled, it counts. Idempotent: every call returns the same completion.
   *
   * @return completes when this node holds no task
   */
  public Mono<Void> close() {
    return engine.close();
  }

  /**
   * Engine events: deliveries, retries, dead letters, releases, lost leases, store call time-outs
   * and breaker transitions. Each is published only once the write it reports matched the task's
   * row. Hot: a subscriber sees events from its subscription on. Each subscriber consumes on a
   * worker of its own (Reactor's {@code boundedElastic}), never on the engine's or the driver's
   * threads, so it may block; one that falls 8,192 events behind misses the next ones rather than
   * slowing the engine.
   *
   * @return the events
   */
  public Flux<HeraldEvent> events() {
    return engine.events();
  }

  /**
   * Dead-letter operations: list, requeue (redrive), purge.
   *
   * @return the operations
   */
  public DeadLetters deadLetters() {
    return deadLetters;
  }

  /**
   * The backlog of every receiver in the table: one entry per (signal, receiver) pair that has
   * ready tasks, including pairs this instance has not connected (tasks of a receiver that was
   * removed or renamed, or that only newer nodes know: they are never claimed here and never
   * dropped). List a pair's tasks with {@link #readyTasks(String, String, long, int)}; dead-letter
   * those of a pair no node will ever deliver with {@link #deadLetterReady(String, String)}.
   *
   * @return one backlog per pair, by signal and receiver
   */
  public Flux<ReceiverBacklog> backlog() {
    return Flux.defer(store::taskCountReady)
        .map(
            c ->
                new ReceiverBacklog(
                    c.signal(), c.receiver(), c.ready(), engine.knows(c.signal(), c.receiver())));
  }

  /**
   * Every receiver's tasks by what they wait for, counted with {@link ReceiverStats#DEFAULT_CAP}:
   * see {@link #stats(int)}.
   *
   * @return one entry per pair, by signal and receiver
   */
  public Flux<ReceiverStats> stats() {
    return stats(ReceiverStats.DEFAULT_CAP);
  }

  /**
   * Every receiver's tasks by what they wait for: ready, running, scheduled and dead counts with
   * the age of the oldest ready task, for each pair of the store's receiver registry and each
   * receiver this node connects or declares (pairs without tasks included), with what this node
   * holds of it and its breaker state here. For health checks, dashboards and metrics.
   *
   * <p>One store statement per subscription, nothing until subscribed. Its cost is bounded whatever
   * the backlog: each count reads at most {@code cap} tasks through an index, and says when it
   * reached the cap ({@link ReceiverStats}). Subject to the store call time limit ({@link
   * HeraldOptions.Builder#storeTimeout(java.time.Duration)}): the {@code Flux} fails with a {@code
   * TimeoutException} when the store does not answer in time. Works before {@link #start()} and
   * after {@link #close()}.
   *
   * @param cap the most tasks any one count reads, at least 1
   * @return one entry per pair, by signal and receiver
   * @throws IllegalArgumentException if {@code cap} is below 1
   */
  public Flux<ReceiverStats> stats(int cap) {
    if (cap < 1) {
      throw new IllegalArgumentException("cap must be at least 1, but was " + cap);
    }
    return engine.stats(cap);
  }

  /**
   * A page of ready tasks (due, scheduled or leased), oldest first.
   *
   * @param signal only this signal, or null for all
   * @param receiver only this receiver, or null for all
   * @param afterId only ids above this (pass the last id of the previous page; 0 first)
   * @param limit page size, at least 1
   * @return up to {@code limit} tasks, by id
   */
  public Flux<TaskInfo> readyTasks(String signal, String receiver, long afterId, int limit) {
    return Flux.defer(
        () ->
            store
                .taskList(new TaskListParams("ready", signal, receiver, afterId, limit))
                .map(TaskInfo::of));
  }

  /**
   * A page of completed tasks kept by {@link HeraldOptions.Builder#retention(java.time.Duration)},
   * by id: each with state {@code done}, its attempts, and its completion time as {@code runAt}.
   * Empty when no node keeps completed tasks.
   *
   * @param signal only this signal, or null for all
   * @param receiver only this receiver, or null for all
   * @param afterId only ids above this (pass the last id of the previous page; 0 first)
   * @param limit page size, at least 1
   * @return up to {@code limit} tasks, by id
   */
  public Flux<TaskInfo> completedTasks(String signal, String receiver, long afterId, int limit) {
    return Flux.defer(
        () ->
            store
                .taskList(new TaskListParams("done", signal, receiver, afterId, limit))
                .map(TaskInfo::of));
  }

  /**
   * One task by id, whatever its state: ready (due, scheduled, running or waiting to retry), dead,
   * or completed and kept ({@code done}, see {@link
   * HeraldOptions.Builder#retention(java.time.Duration)}). See {@link TaskInfo} for what each field
   * says.
   *
   * <p>One store statement per subscription, nothing until subscribed: a primary-key probe,
   * whatever the table holds. Subject to the store call time limit ({@link
   * HeraldOptions.Builder#storeTimeout(java.time.Duration)}): the {@code Mono} fails with a {@code
   * TimeoutException} when the store does not answer in time. Works before {@link #start()} and
   * after {@link #close()}.
   *
   * @param taskId the task's id, as a {@link SendReceipt}, a {@link Delivery} or an event names it
   * @return the task, or empty when the table holds no such task (it was delivered and not kept,
   *     purged, cancelled, or never existed)
   */
  public Mono<TaskInfo> findTask(long taskId) {
    return engine.find(new TaskFindParams(new long[] {taskId}, null, null, 1)).next();
  }

  /**
   * The tasks of a signal sent with a dedupe key, whatever their state: the pending one per
   * receiver (ready, scheduled, running or waiting to retry), dead letters, dead letters requeued
   * (which run without holding the key), and completed tasks kept by {@link
   * HeraldOptions.Builder#retention(java.time.Duration)} ({@code done}). Answers "what happened to
   * the send with key X?"; a task delivered and not kept is gone, and is not found.
   *
   * <p>One store statement per subscription, nothing until subscribed. Its cost is bounded by
   * {@code limit} whatever the table holds: it walks an index of keyed tasks from the newest. The
   * answer is one snapshot, newest (highest id) first. Subject to the store call time limit ({@link
   * HeraldOptions.Builder#storeTimeout(java.time.Duration)}): the {@code Flux} fails with a {@code
   * TimeoutException} when the store does not answer in time. Works before {@link #start()} and
   * after {@link #close()}.
   *
   * @param signal the signal's name
   * @param dedupeKey the key the tasks were sent with
   * @param limit the most tasks answered, at least 1
   * @return up to {@code limit} tasks, newest first
   * @throws IllegalArgumentException if the signal name or the key is not a valid name (1 to 200
   *     characters, no control characters) or {@code limit} is below 1
   */
  public Flux<TaskInfo> findTasks(String signal, String dedupeKey, int limit) {
    Options.name("signal name", signal);
    Options.name("dedupeKey", dedupeKey);
    return engine.find(new TaskFindParams(new long[0], signal, dedupeKey, limit));
  }

  /**
   * Dead-letters the ready tasks of a receiver that this instance has not connected, so that they
   * can be inspected, requeued or purged like any dead task. Tasks leased by another node are left
   * to it.
   *
   * @param signal the signal
   * @param receiver the receiver
   * @return the number of tasks dead-lettered
   * @throws IllegalArgumentException (in the {@code Mono}) if the receiver is connected here
   */
  public Mono<Long> deadLetterReady(String signal, String receiver) {
    return Mono.defer(
        () -> {
          if (engine.knows(signal, receiver)) {
            return Mono.error(
                new IllegalArgumentException(
                    "receiver '" + receiver + "' of signal '" + signal + "' is connected here"));
          }
          return store.taskDeadLetterReady(
              new TaskDeadLetterReadyParams(
                  signal, receiver, "no running node knows receiver '" + receiver + "'"));
        });
  }

  /**
   * Cancels a task that has not started: a ready task (due, scheduled or waiting to retry) that no
   * node holds is deleted, and its dedupe key released. A task running (leased) or already gone is
   * left alone.
   *
   * @param taskId the task's id, as a {@link SendReceipt} or {@link TaskInfo} names it
   * @return whether it was cancelled
   */
  public Mono<Boolean> cancelTask(long taskId) {
    return Flux.defer(() -> store.taskCancel(new TaskCancelParams(new long[] {taskId}, null, null)))
        .hasElements();
  }

  /**
   * The store's receiver registry: every receiver a running node registered (nodes register those
   * they connect or declare when they start, and again every minute). Every send of a registered
   * receiver's signal, from any node, writes a task for it.
   *
   * @return the registered receivers, by signal and receiver
   */
  public Flux<RegisteredReceiver> receivers() {
    return Flux.defer(store::receiverList)
        .map(r -> new RegisteredReceiver(r.signal(), r.receiver(), r.lastSeen(), r.lastSeenBy()));
  }

  /**
   * Retires a receiver that no node runs any more: later sends no longer write tasks for it. Its
   * tasks stay; list them with {@link #backlog()} and dead-letter them with {@link
   * #deadLetterReady(String, String)}. A node that still connects or declares it registers it again
   * within a minute, so retire it after the last such node was stopped.
   *
   * @param signal the signal
   * @param receiver the receiver
   * @return whether it was registered
   * @throws IllegalArgumentException (in the {@code Mono}) if it is connected or declared here
   */
  public Mono<Boolean> retireReceiver(String signal, String receiver) {
    return Mono.defer(
        () -> {
          if (engine.knows(signal, receiver) || engine.declares(signal, receiver)) {
            return Mono.error(
                new IllegalArgumentException(
                    "receiver '"
                        + receiver
                        + "' of signal '"
                        + signal
                        + "' is connected or declared here: stop the nodes that run it first"));
          }
          return store.receiverRetire(new ReceiverRetireParams(signal, receiver));
        });
  }

  /**
   * This node's id, recorded as the owner of the tasks it claims.
   *
   * @return the node id
   */
  public String nodeId() {
    return engine.owner();
  }

  /**
   * Whether this instance listens for other processes' wakeups right now: true once its store's
   * {@code LISTEN} connection is up, false before {@link #start()}, after {@link #close()}, while
   * the store reconnects a lost connection (new tasks are then found by polling only), in immediate
   * mode and for stores configured not to listen.
   *
   * @return whether wakeups arrive now
   */
  public boolean listening() {
    return engine.listening();
  }

  Engine engine() {
    return engine;
  }

  /** Builds a {@link Herald}. */
  public static final class Builder {
    private final Store store;
    private HeraldOptions options = HeraldOptions.defaults();
    private PayloadCodec codec = PayloadCodec.json();
    private Scheduler scheduler = Schedulers.parallel();
    private Observing observing = Observing.NONE;

    private Builder(Store store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Engine options. Defaults to {@link HeraldOptions#defaults()} (with a fresh random node id).
     *
     * @param options the options
     * @return this builder
     */
    public Builder options(HeraldOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Payload codec. Defaults to {@link PayloadCodec#json()}.
     *
     * @param codec the codec
     * @return this builder
     */
    public Builder codec(PayloadCodec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /**
     * Scheduler for timers, timeouts and backoff. Defaults to {@code Schedulers.parallel()}; tests
     * pass a virtual-time scheduler.
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Observes sends and deliveries with Micrometer Observation, so that a trace shows each sender
     * and its receivers across the commit. Without it (the default) Herald creates no observation,
     * writes no header of its own and loads no Micrometer class: {@code micrometer-observation} is
     * an optional dependency, needed only by applications that call this method.
     *
     * <ul>
     *   <li>{@code sendReliable} runs in an observation named {@code herald.send} (a {@code
     *       SenderContext}, span {@code "send <signal>"}, kind producer), child of the caller's
     *       current observation: the one in the subscriber's Reactor context under {@code
     *       ObservationThreadLocalAccessor.KEY}, else the one current on the thread. The tracing
     *       handler of the application's tracer injects its propagation fields (W3C {@code
     *       traceparent} and {@code tracestate}, baggage, or what its propagator writes) into the
     *       headers stored with the tasks. The application's own headers are kept; a propagation
     *       field of the same name replaces an application header, so the receiver continues the
     *       send that was recorded. The combined headers are checked like any headers: a bad one
     *       fails the send before any SQL runs.
     *   <li>Each delivery attempt runs in an observation named {@code herald.process} (a {@code
     *       ReceiverContext} whose carrier is the task's headers, span {@code "process <signal>"},
     *       kind consumer). It is current while the receiver runs: on the calling thread while
     *       {@link Receiver#receive} is called, and in the Reactor context of the receiver's {@code
     *       Mono} under {@code ObservationThreadLocalAccessor.KEY}, so the receiver's own
     *       observations and spans are its children and, with Reactor's automatic context
     *       propagation, its logs carry the trace id. Its error is the receiver's failure (or an
     *       undecodable payload); its {@code herald.outcome} is {@code success}, {@code retry},
     *       {@code dead_letter}, {@code released} (not attempted: a breaker was open) or {@code
     *       cancelled} (shutdown).
     *   <li>Low-cardinality key values: {@code messaging.system=herald}, {@code
     *       messaging.operation.type} ({@code send} or {@code process}), {@code
     *       messaging.destination.name} and {@code signal} (the signal's name), {@code receiver}
     *       and {@code herald.outcome} (attempts). High-cardinality: {@code messaging.message.id}
     *       (the task id) and {@code herald.attempt}.
     * </ul>
     *
     * <p>With Micrometer Tracing's standard handlers every attempt is a child of the send's span.
     * Register {@link HeraldTracingHandler} ahead of them to make only the first attempt a child,
     * and every retry a new trace with a link to the send's span.
     *
     * <p>A registry without handlers (or {@code ObservationRegistry.NOOP}) makes every observation
     * a no-op: nothing is written to the headers.
     *
     * @param registry the application's registry
     * @return this builder
     */
    public Builder observationRegistry(ObservationRegistry registry) {
      Objects.requireNonNull(registry, "registry");
      this.observing = Observed.of(registry);
      return this;
    }

    /**
     * Builds the instance; it does not dispatch until {@link Herald#start()}.
     *
     * @return the instance
     */
    public Herald build() {
      if (options == HeraldOptions.defaults()) {
        options = HeraldOptions.builder().build();
      }
      return new Herald(this);
    }
  }
}
