package dev.herald.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.Herald;
import dev.herald.HeraldOptions;
import dev.herald.NoTransactionException;
import dev.herald.NotifyMode;
import dev.herald.Signal;
import dev.herald.testkit.Note;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The three ways {@code sendReliable} finds the caller's R2DBC transaction. */
class R2dbcTransactionsIT {

  private final R2dbcFixture fixture = new R2dbcFixture();
  private final List<String> delivered = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    fixture.close();
  }

  /** A started Herald that only wakes up in memory or every 30 s: fast delivery proves the hook. */
  private Signal<Note> startedWithoutNotify(R2dbcTaskStore store) {
    Herald herald =
        Herald.builder(store)
            .options(
                HeraldOptions.builder()
                    .pollInterval(Duration.ofSeconds(30))
                    .notifyMode(NotifyMode.NONE)
                    .build())
            .build();
    fixture.heralds().add(herald);
    Signal<Note> signal = herald.signal("orders.paid", Note.class);
    signal.connect("receipt", d -> Mono.fromRunnable(() -> delivered.add(d.payload().key())));
    herald.start();
    return signal;
  }

  @Test
  void explicitConnectionInAutocommitIsRejectedAndWritesNothing() {
    Signal<Note> signal = startedWithoutNotify(fixture.entry());
    StepVerifier.create(
            Mono.usingWhen(
                R2dbcFixture.pool().create(),
                conn ->
                    signal
                        .sendReliable(new Note("k", 1))
                        .contextWrite(R2dbcTaskStore.transaction(conn)),
                Connection::close))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(NoTransactionException.class)
                    .hasMessageContaining("autocommit"))
        .verify();
    assertThat(fixture.tasks().collectList().block()).isEmpty();
  }

  @Test
  void explicitConnectionCommitsAndRollsBackWithTheCaller() {
    Herald herald = fixture.herald();
    Signal<Note> signal = herald.signal("orders.paid", Note.class);
    signal.connect("receipt", d -> Mono.empty());
    for (boolean commit : new boolean[] {true, false}) {
      Mono.usingWhen(
              R2dbcFixture.pool().create(),
              conn ->
                  Mono.from(conn.beginTransaction())
                      .then(
                          signal
                              .sendReliable(new Note(commit ? "kept" : "dropped", 1))
                              .contextWrite(R2dbcTaskStore.transaction(conn)))
                      .then(
                          Mono.from(
                              commit ? conn.commitTransaction() : conn.rollbackTransaction())),
              Connection::close)
          .block();
    }
    assertThat(fixture.tasks().collectList().block())
        .singleElement()
        .satisfies(t -> assertThat(t.payload()).contains("kept"));
  }

  @Test
  void heraldsOwnTransactionWakesTheLocalDispatcherAfterCommit() {
    Signal<Note> signal = startedWithoutNotify(fixture.entry());
    fixture.entry().inTransaction(conn -> signal.sendReliable(new Note("helper", 1))).block();
    await().atMost(Duration.ofSeconds(5)).until(() -> delivered.contains("helper"));
  }

  @Test
  void springTransactionalOperatorCommitsRollsBackAndWakesTheLocalDispatcher() {
    ConnectionPool pool =
        new ConnectionPool(
            ConnectionPoolConfiguration.builder(R2dbcFixture.rawFactory()).maxSize(4).build());
    try {
      R2dbcTaskStore store = R2dbcTaskStore.builder(pool).tableName(fixture.table).build();
      TransactionalOperator tx = TransactionalOperator.create(new R2dbcTransactionManager(pool));
      Signal<Note> signal = startedWithoutNotify(store);

      signal.sendReliable(new Note("spring-commit", 1)).as(tx::transactional).block();
      StepVerifier.create(
              signal
                  .sendReliable(new Note("spring-rollback", 2))
                  .then(Mono.error(new IllegalStateException("fraud check")))
                  .as(tx::transactional))
          .expectErrorMessage("fraud check")
          .verify();
      StepVerifier.create(signal.sendReliable(new Note("no-tx", 3)))
          .expectErrorSatisfies(
              e ->
                  assertThat(e)
                      .isInstanceOf(NoTransactionException.class)
                      .hasMessageContaining("no Spring reactive transaction"))
          .verify();

      await().atMost(Duration.ofSeconds(5)).until(() -> delivered.contains("spring-commit"));
      assertThat(delivered).containsExactly("spring-commit");
      fixture.close();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> pool.getMetrics().get().acquiredSize() == 0);
    } finally {
      pool.dispose();
    }
  }
}
