package dev.herald.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.Herald;
import dev.herald.HeraldOptions;
import dev.herald.NoTransactionException;
import dev.herald.NotifyMode;
import dev.herald.Signal;
import dev.herald.spi.TaskListRow;
import dev.herald.testkit.Note;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** How {@code sendReliable} finds the caller's Vert.x transaction, and what it does without one. */
class VertxTransactionsIT {

  private final VertxFixture fixture = new VertxFixture(VertxFixture.PIPELINED);
  private final List<String> delivered = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    fixture.close();
  }

  /**
   * A started Herald that can only be woken in memory after a commit, or by its 30 s poll: no
   * listener, no NOTIFY. Returns once its start-up claim is over, proven by a first delivery.
   */
  private Signal<Note> startedWithoutNotify() {
    VertxTaskStore quiet = fixture.builder().listen(false).build();
    Herald herald =
        Herald.builder(quiet)
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
    send(signal, "warm-up");
    // Generous: the first test of the JVM also loads the engine's classes here.
    await().atMost(Duration.ofSeconds(15)).until(() -> delivered.contains("warm-up"));
    return signal;
  }

  private void send(Signal<Note> signal, String key) {
    withTransaction(conn -> VertxTaskStore.sendReliable(conn, signal, new Note(key, 1)));
  }

  private <T> T withTransaction(Function<SqlConnection, Future<T>> work) {
    return Mono.fromCompletionStage(() -> fixture.pool().withTransaction(work).toCompletionStage())
        .block(Duration.ofSeconds(10));
  }

  @Test
  void aConnectionWithoutTransactionIsRejectedAndNothingIsWritten() {
    Herald herald = fixture.herald();
    Signal<Note> signal = herald.signal("orders.paid", Note.class);
    signal.connect("receipt", d -> Mono.empty());

    StepVerifier.create(
            Mono.fromCompletionStage(
                () ->
                    fixture
                        .pool()
                        .withConnection(
                            conn -> VertxTaskStore.sendReliable(conn, signal, new Note("k", 1)))
                        .toCompletionStage()))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(NoTransactionException.class)
                    .hasMessageContaining(
                        "sendReliable(orders.paid) needs the caller's transaction")
                    .hasMessageContaining("conn.transaction() is null"))
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(signal.sendReliable(new Note("unbound", 2)))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(NoTransactionException.class)
                    .hasMessageContaining("no SqlConnection bound"))
        .verify(Duration.ofSeconds(10));

    assertThat(fixture.tasks().collectList().block()).isEmpty();
  }

  @Test
  void theFutureFormCommitsDeliversAndRollsBackToNothing() {
    Signal<Note> signal = startedWithoutNotify();

    StepVerifier.create(
            Mono.fromCompletionStage(
                () ->
                    fixture
                        .pool()
                        .withTransaction(
                            conn ->
                                VertxTaskStore.sendReliable(conn, signal, new Note("dropped", 1))
                                    .compose(
                                        v ->
                                            Future.failedFuture(
                                                new IllegalStateException("fraud check"))))
                        .toCompletionStage()))
        .expectErrorMessage("fraud check")
        .verify(Duration.ofSeconds(10));
    send(signal, "kept");

    await().atMost(Duration.ofSeconds(5)).until(() -> delivered.contains("kept"));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> fixture.tasks().collectList().block().isEmpty());
    assertThat(delivered).containsExactly("warm-up", "kept");
  }

  @Test
  void theFutureFormCompletesOnTheCallersVertxContext() {
    Signal<Note> signal = startedWithoutNotify();
    io.vertx.core.Context context = VertxFixture.vertx().getOrCreateContext();

    Boolean sameContext =
        Mono.fromCompletionStage(
                () -> {
                  io.vertx.core.Promise<Boolean> same = io.vertx.core.Promise.promise();
                  context.runOnContext(
                      v ->
                          fixture
                              .pool()
                              .withTransaction(
                                  conn ->
                                      VertxTaskStore.sendReliable(
                                              conn, signal, new Note("on-context", 1))
                                          .map(
                                              x -> io.vertx.core.Vertx.currentContext() == context))
                              .onComplete(same));
                  return same.future().toCompletionStage();
                })
            .block(Duration.ofSeconds(10));

    assertThat(sameContext).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> delivered.contains("on-context"));
  }

  @Test
  void transactionCompletionWakesTheLocalDispatcherWithoutNotifyOrPolling() {
    Signal<Note> signal = startedWithoutNotify();

    send(signal, "future-form");
    await().atMost(Duration.ofSeconds(5)).until(() -> delivered.contains("future-form"));

    fixture.entry().inTransaction(conn -> signal.sendReliable(new Note("helper", 1))).block();
    await().atMost(Duration.ofSeconds(5)).until(() -> delivered.contains("helper"));

    // The Reactor form on a connection the caller began and commits itself.
    Mono.usingWhen(
            Bridge.mono(() -> fixture.pool().getConnection()),
            conn ->
                Bridge.mono(conn::begin)
                    .flatMap(
                        tx ->
                            signal
                                .sendReliable(new Note("explicit", 1))
                                .contextWrite(VertxTaskStore.transaction(conn))
                                .then(Bridge.mono(tx::commit))),
            conn -> Bridge.mono(conn::close))
        .block(Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(5)).until(() -> delivered.contains("explicit"));
  }

  @Test
  void heraldsTransactionHelperRollsBackOnErrorAndKeepsTheBusinessWriteAtomic() {
    Signal<Note> signal = startedWithoutNotify();
    fixture.execute("CREATE TABLE " + fixture.table + "_orders (id int PRIMARY KEY)").block();

    StepVerifier.create(
            fixture
                .entry()
                .inTransaction(
                    conn ->
                        Bridge.mono(
                                () ->
                                    conn.query(
                                            "INSERT INTO " + fixture.table + "_orders VALUES (1)")
                                        .execute())
                            .then(signal.sendReliable(new Note("rolled-back", 1)))
                            .then(Mono.error(new IllegalStateException("business rule")))))
        .expectErrorMessage("business rule")
        .verify(Duration.ofSeconds(10));
    fixture
        .entry()
        .inTransaction(
            conn ->
                Bridge.mono(
                        () ->
                            conn.query("INSERT INTO " + fixture.table + "_orders VALUES (2)")
                                .execute())
                    .then(signal.sendReliable(new Note("committed", 2))))
        .block(Duration.ofSeconds(10));

    await().atMost(Duration.ofSeconds(5)).until(() -> delivered.contains("committed"));
    assertThat(
            fixture
                .query("SELECT id FROM " + fixture.table + "_orders", Integer.class)
                .collectList()
                .block())
        .containsExactly(2);
    assertThat(fixture.tasks().map(TaskListRow::payload).collectList().block())
        .noneMatch(p -> p.contains("rolled-back"));
    assertThat(delivered).doesNotContain("rolled-back");
    fixture.execute("DROP TABLE " + fixture.table + "_orders").block();
  }
}
