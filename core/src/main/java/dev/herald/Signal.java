package dev.herald;

import java.util.Map;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * A named, typed application event whose receivers run if and only if the sending transaction
 * commits, at least once.
 *
 * <p>Obtain one from {@link Herald#signal(String, Class)}. The name is stored with every task and
 * must stay stable across deploys, as must each receiver's name: together they route a stored task
 * to its code. Thread-safe.
 *
 * @param <T> the payload type
 */
public final class Signal<T> {

  private final Engine engine;
  private final String name;
  private final Class<T> type;

  Signal(Engine engine, String name, Class<T> type) {
    this.engine = engine;
    this.name = name;
    this.type = type;
  }

  /**
   * The signal's stable name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The payload type.
   *
   * @return the type
   */
  public Class<T> type() {
    return type;
  }

  /**
   * Connects a receiver with {@link ReceiverOptions#defaults()}.
   *
   * @param receiverName stable name, unique for this signal
   * @param receiver the code to run
   * @return this signal
   * @see #connect(String, ReceiverOptions, Receiver)
   */
  public Signal<T> connect(String receiverName, Receiver<T> receiver) {
    return connect(receiverName, ReceiverOptions.defaults(), receiver);
  }

  /**
   * Connects a receiver. Every later {@link #sendReliable} from this process enqueues one task for
   * it; this process's dispatcher claims and runs those tasks (a dispatcher claims only tasks of
   * receivers connected to it). Connect receivers before {@link Herald#start()}.
   *
   * @param receiverName stable name, unique for this signal (1 to 200 characters)
   * @param options the receiver's concurrency, timeout, retry policy and breaker
   * @param receiver the code to run
   * @return this signal
   * @throws IllegalArgumentException if the name is invalid or already connected
   * @throws IllegalStateException if the engine has started
   */
  public Signal<T> connect(String receiverName, ReceiverOptions options, Receiver<T> receiver) {
    Options.name("receiverName", receiverName);
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(receiver, "receiver");
    engine.register(new Route<>(name, type, receiverName, options, receiver));
    return this;
  }

  /**
   * Connects a batch receiver with {@link ReceiverOptions#defaults()}.
   *
   * @param receiverName stable name, unique for this signal
   * @param maxBatch the most deliveries in one call
   * @param receiver the code to run
   * @return this signal
   * @see #connectBatch(String, int, ReceiverOptions, BatchReceiver)
   */
  public Signal<T> connectBatch(String receiverName, int maxBatch, BatchReceiver<T> receiver) {
    return connectBatch(receiverName, maxBatch, ReceiverOptions.defaults(), receiver);
  }

  /**
   * Connects a receiver that takes up to {@code maxBatch} deliveries per call (see {@link
   * BatchReceiver}). Its tasks are claimed, leased, retried and dead-lettered one by one like any
   * receiver's; deliveries that are ready together (what a claim brought) go to one call. The
   * options' {@code concurrency} and {@code prefetch} count batches: one node runs at most {@code
   * concurrency × maxBatch} deliveries in calls at once (in more calls than {@code concurrency}
   * when batches are not full); {@code timeout} bounds one call. Every other option applies per
   * task.
   *
   * @param receiverName stable name, unique for this signal (1 to 200 characters)
   * @param maxBatch the most deliveries in one call, 1 to 10,000
   * @param options the receiver's options
   * @param receiver the code to run
   * @return this signal
   * @throws IllegalArgumentException if the name or the batch size is invalid, or the name is
   *     already connected
   * @throws IllegalStateException if the engine has started
   */
  public Signal<T> connectBatch(
      String receiverName, int maxBatch, ReceiverOptions options, BatchReceiver<T> receiver) {
    Options.name("receiverName", receiverName);
    Options.atLeast("maxBatch", 1, maxBatch);
    if (maxBatch > 10_000) {
      throw new IllegalArgumentException("maxBatch must be at most 10000, but was " + maxBatch);
    }
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(receiver, "receiver");
    engine.register(
        new Route<>(
            name,
            type,
            receiverName,
            options.inTasks(maxBatch),
            new BatchingReceiver<>(receiver, maxBatch, engine.scheduler())));
    return this;
  }

  /**
   * Declares a receiver that another node runs: every send from this node writes a task for it,
   * even before any node running it has registered it (a sender-only tier, or the first deploy of a
   * new receiver). This node never claims its tasks. A started node also registers it, so that
   * every node's sends write its tasks. Declare before {@link Herald#start()}.
   *
   * @param receiverName the receiver's stable name, as the node running it connects it
   * @return this signal
   * @throws IllegalArgumentException if the name is invalid, or already connected or declared
   * @throws IllegalStateException if the engine has started
   */
  public Signal<T> declare(String receiverName) {
    Options.name("receiverName", receiverName);
    engine.declare(name, receiverName);
    return this;
  }

  /**
   * Lets sends of this signal complete when no receiver is known anywhere (writing nothing),
   * instead of failing with {@link NoReceiverException}: for signals that are optional to listen
   * to.
   *
   * @return this signal
   */
  public Signal<T> allowNoReceivers() {
    engine.allowNoReceivers(name);
    return this;
  }

  /**
   * Sends the signal on the caller's transaction.
   *
   * @param payload the payload
   * @return see {@link #sendReliable(Object, Map)}
   */
  public Mono<Void> sendReliable(T payload) {
    return sendReliable(payload, Map.of());
  }

  /**
   * Sends the signal on the caller's transaction: inserts, in one statement, one task for each
   * receiver of the signal, through the transaction the store finds in the subscriber's context.
   * The receivers are those connected or {@linkplain #declare declared} on this node and those
   * registered in the store by any running node (see {@link Herald#receivers()}), each once.
   *
   * <ul>
   *   <li>The caller commits: every task exists and each receiver runs at least once (until it
   *       succeeds or its task is dead-lettered), whatever crashes in between.
   *   <li>The caller rolls back: no task ever existed and no receiver runs.
   *   <li>No transaction is found: the {@code Mono} fails with {@link NoTransactionException} and
   *       nothing is written. Herald never commits a task on its own.
   *   <li>The payload cannot be encoded: it fails with {@link PayloadEncodingException} and nothing
   *       is written.
   *   <li>No receiver is known (none here, none registered): it fails with {@link
   *       NoReceiverException} and writes nothing; the caller's transaction stays usable. After
   *       {@link #allowNoReceivers()} it completes instead.
   * </ul>
   *
   * <p>Cold: nothing happens until subscribed, and each subscription sends once. Cancelling before
   * completion leaves the outcome to the caller's transaction. Never blocks.
   *
   * @param payload the payload, not null
   * @param headers string headers delivered with it (for example {@code traceparent})
   * @return completes when the tasks are written into the transaction
   */
  public Mono<Void> sendReliable(T payload, Map<String, String> headers) {
    Objects.requireNonNull(payload, "payload");
    // No receipt to build: the statement answers its count alone.
    return engine.sendQuietly(name, payload, SendOptions.none().withHeaders(headers));
  }

  /**
   * Sends the signal on the caller's transaction with options: headers, and a delay or an earliest
   * instant before which the tasks are not delivered. Everything {@link #sendReliable(Object, Map)}
   * says holds; a delayed task is written now, commits or rolls back with the caller, and is due
   * once its delay has passed (see {@link SendOptions}).
   *
   * @param payload the payload, not null
   * @param options headers and when the tasks are due
   * @return the tasks written into the transaction, by receiver
   */
  public Mono<SendReceipt> sendReliable(T payload, SendOptions options) {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(options, "options");
    return engine.send(name, payload, options);
  }

  /**
   * Cancels the pending tasks of this signal that hold {@code dedupeKey} and have not started (one
   * per receiver at most), releasing the key: a later send with it writes tasks again. Tasks
   * running (leased) are left alone.
   *
   * @param dedupeKey the key the tasks were sent with
   * @return how many tasks were cancelled
   */
  public Mono<Long> cancel(String dedupeKey) {
    Options.name("dedupeKey", dedupeKey);
    return engine.cancel(name, dedupeKey);
  }

  @Override
  public String toString() {
    return "Signal[" + name + ", " + type.getName() + "]";
  }
}
