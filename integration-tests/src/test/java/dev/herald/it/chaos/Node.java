package dev.herald.it.chaos;

import dev.herald.Herald;
import dev.herald.HeraldOptions;
import dev.herald.ReceiverOptions;
import dev.herald.Signal;
import dev.herald.fixtures.R2dbcSql;
import dev.herald.r2dbc.R2dbcTaskStore;
import dev.herald.testkit.Note;
import io.r2dbc.pool.ConnectionPool;
import java.time.Duration;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * One chaos participant: a dispatcher whose receiver records every delivery in the oracle, and the
 * sender side used by producers. The same code runs in-process and in child JVMs ({@link
 * ChaosNodeMain}).
 */
final class Node {

  static final String SIGNAL = "chaos.order";
  static final String RECEIVER = "deliver";

  final String name;
  final ConnectionPool pool;
  final R2dbcTaskStore store;
  final Herald herald;
  final Signal<Note> signal;

  Node(ConnectionPool pool, String table, String name, Function<Note, Mono<Void>> extra) {
    this.name = name;
    this.pool = pool;
    this.store = R2dbcTaskStore.builder(pool).tableName(table).build();
    this.herald =
        Herald.builder(store)
            .options(
                HeraldOptions.builder()
                    .nodeId(name)
                    .lease(Duration.ofSeconds(2))
                    .pollInterval(Duration.ofMillis(250))
                    .shutdownGrace(Duration.ofSeconds(5))
                    .build())
            .build();
    this.signal = herald.signal(SIGNAL, Note.class);
    String seen = table + "_seen";
    signal.connect(
        RECEIVER,
        ReceiverOptions.builder().concurrency(16).timeout(Duration.ofSeconds(5)).build(),
        d ->
            extra
                .apply(d.payload())
                .then(
                    R2dbcSql.execute(
                        pool,
                        "INSERT INTO " + seen + " (key, node, attempt) VALUES ($1, $2, $3)",
                        d.payload().key(),
                        name,
                        d.attempt()))
                .then());
  }

  Node start() {
    herald.start();
    return this;
  }

  /** Sends one signal in a transaction that also records it as sent; rolls back if asked. */
  Mono<Void> send(String table, String key, boolean rollback) {
    return store
        .inTransaction(
            conn ->
                Mono.from(
                        conn.createStatement("INSERT INTO " + table + "_sent (key) VALUES ($1)")
                            .bind(0, key)
                            .execute())
                    .flatMap(r -> Mono.from(r.getRowsUpdated()))
                    .then(signal.sendReliable(new Note(key, 0)))
                    .then(rollback ? Mono.error(new RolledBack()) : Mono.<Void>empty()))
        .then();
  }

  /** The deliberate rollback of a producer transaction. */
  static final class RolledBack extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RolledBack() {
      super("rolled back on purpose", null, false, false);
    }
  }
}
