package dev.herald.bench;

import dev.herald.SendOptions;
import dev.herald.Signal;
import dev.herald.Store;
import reactor.core.publisher.Mono;

/**
 * One Herald adapter as the benchmarks drive it: its store, and a business transaction that inserts
 * one order row and then, on the same transaction, nothing more, a plain outbox INSERT, or a {@code
 * sendReliable}. Every method returns a cold {@code Mono} that never blocks.
 */
interface HeraldSide extends AutoCloseable {

  /**
   * Connections of a pool of the dispatcher's own ({@code -Dherald.bench.dispatcherPool=N}); 0, the
   * default, shares the senders' pool.
   */
  int DISPATCHER_POOL = Integer.getInteger("herald.bench.dispatcherPool", 0);

  /** Column label, e.g. "Herald R2DBC". */
  String label();

  /** The task store, on the table this side was created for. */
  Store store();

  /** A transaction with one order row. */
  Mono<Void> orderOnly(long seq);

  /** A transaction with one order row and one plain INSERT of the JSON payload. */
  Mono<Void> orderAndPlainInsert(long seq, String payloadJson);

  /** A transaction with one order row and {@code signal.sendReliable(payload)}. */
  Mono<Void> orderAndSend(long seq, Signal<OrderPlaced> signal, OrderPlaced payload);

  /** A transaction with one order row and {@code signal.sendReliable(payload, options)}. */
  Mono<Void> orderAndSend(
      long seq, Signal<OrderPlaced> signal, OrderPlaced payload, SendOptions options);

  /**
   * A transaction with {@code count} order rows, each followed by {@code
   * signal.sendReliable(OrderPlaced.of(seq))} for its own sequence number, from {@code firstSeq}:
   * one commit for {@code count} tasks.
   */
  Mono<Void> ordersAndSends(long firstSeq, int count, Signal<OrderPlaced> signal);

  @Override
  void close();

  /**
   * Creates a side by name.
   *
   * @param driver "r2dbc" or "vertx"
   * @param db the server
   * @param table the task table
   * @param poolSize connections in the pool
   * @return the side
   */
  static HeraldSide create(String driver, BenchDatabase db, String table, int poolSize) {
    return switch (driver) {
      case "r2dbc" -> new R2dbcSide(db, table, poolSize);
      case "vertx" -> new VertxSide(db, table, poolSize);
      default -> throw new IllegalArgumentException("unknown driver: " + driver);
    };
  }
}
