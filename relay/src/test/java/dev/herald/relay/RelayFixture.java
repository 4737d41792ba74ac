package dev.herald.relay;

import dev.herald.BreakerOptions;
import dev.herald.BreakerState;
import dev.herald.Herald;
import dev.herald.HeraldEvent;
import dev.herald.HeraldOptions;
import dev.herald.Receiver;
import dev.herald.ReceiverOptions;
import dev.herald.RetryPolicy;
import dev.herald.SendOptions;
import dev.herald.Signal;
import dev.herald.fixtures.R2dbcConnections;
import dev.herald.fixtures.TestDatabase;
import dev.herald.r2dbc.R2dbcTaskStore;
import io.r2dbc.pool.ConnectionPool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Herald on the R2DBC store and a fresh table, with its events recorded: what every relay test
 * sends through.
 */
final class RelayFixture implements AutoCloseable {

  static final String SIGNAL = "payment.completed";

  /** The payload relayed in the tests. */
  record Payment(String order, int n) {}

  private static ConnectionPool pool;

  final String table = TestDatabase.freshTable();
  final R2dbcTaskStore store;
  final Herald herald;
  final Signal<Payment> signal;
  final List<HeraldEvent> events = new CopyOnWriteArrayList<>();
  private final Disposable recording;

  RelayFixture() {
    store = R2dbcTaskStore.builder(pool()).tableName(table).build();
    herald =
        Herald.builder(store)
            .options(HeraldOptions.builder().pollInterval(Duration.ofMillis(200)).build())
            .build();
    herald.installSchema().block(Duration.ofSeconds(30));
    recording = herald.events().subscribe(events::add);
    signal = herald.signal(SIGNAL, Payment.class);
  }

  static synchronized ConnectionPool pool() {
    if (pool == null) {
      pool = R2dbcConnections.pool("herald-relay-tests", 8, Duration.ofSeconds(30));
    }
    return pool;
  }

  /** Sends, in one committed transaction per round, {@code perKey} payments for each key. */
  void sendCommitted(List<String> keys, int perKey) {
    Flux.range(0, perKey)
        .concatMap(
            n ->
                store.inTransaction(
                    conn ->
                        Flux.fromIterable(keys)
                            .concatMap(
                                k ->
                                    signal.sendReliable(
                                        new Payment(k, n), SendOptions.orderingKey(k)))
                            .then()))
        .blockLast(Duration.ofMinutes(1));
  }

  void sendCommitted(Payment payment, Map<String, String> headers) {
    store
        .inTransaction(
            conn ->
                signal.sendReliable(
                    payment, SendOptions.orderingKey(payment.order()).withHeaders(headers)))
        .block(Duration.ofSeconds(30));
  }

  /** Sends payments in a transaction that rolls back. */
  void sendRolledBack(String key, int count) {
    Mono<Void> work =
        store.inTransaction(
            conn ->
                Flux.range(0, count)
                    .concatMap(n -> signal.sendReliable(new Payment(key, n)))
                    .then(Mono.error(new IllegalStateException("rolled back on purpose"))));
    try {
      work.block(Duration.ofSeconds(30));
      throw new AssertionError("the transaction did not roll back");
    } catch (IllegalStateException expected) {
      // rolled back
    }
  }

  /**
   * Connects {@code publish} so that the first attempt of every even-numbered payment fails after
   * the broker confirmed it, as if the acknowledgement to Herald were lost: its retry (10 ms later)
   * publishes it again.
   */
  void connectLosingEvenFirstAcknowledgements(String name, Receiver<Payment> publish) {
    signal.connect(
        name,
        ReceiverOptions.builder()
            .retryPolicy(RetryPolicy.builder().initialDelay(Duration.ofMillis(10)).build())
            .build(),
        d ->
            publish
                .receive(d)
                .then(
                    d.attempt() == 1 && d.payload().n() % 2 == 0
                        ? Mono.error(new IllegalStateException("acknowledgement lost"))
                        : Mono.empty()));
  }

  /**
   * Options under which a broker that is down opens the breaker quickly: retries after 10 ms, and a
   * breaker that opens once 4 calls of a window of 4 failed, for {@code openFor}.
   */
  static ReceiverOptions breakingFast(Duration openFor) {
    return ReceiverOptions.builder()
        .retryPolicy(RetryPolicy.builder().initialDelay(Duration.ofMillis(10)).build())
        .breaker(BreakerOptions.builder().window(4).minimumCalls(4).openFor(openFor).build())
        .build();
  }

  /** Whether the receiver's breaker went to {@code state} at some point. */
  boolean breakerWent(BreakerState state) {
    return events(HeraldEvent.BreakerStateChanged.class).stream().anyMatch(c -> c.to() == state);
  }

  <E extends HeraldEvent> List<E> events(Class<E> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  long readyTasks() {
    return herald.backlog().collectList().block(Duration.ofSeconds(10)).stream()
        .mapToLong(b -> b.ready())
        .sum();
  }

  @Override
  public void close() {
    herald.close().block(Duration.ofSeconds(30));
    recording.dispose();
  }
}
