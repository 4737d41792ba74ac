package dev.herald.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.fixtures.R2dbcConnections;
import dev.herald.fixtures.TestDatabase;
import dev.herald.fixtures.VertxConnections;
import io.r2dbc.spi.Connection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Runs the README's quickstarts (R2DBC and Vert.x) against the test database as the README shows
 * them: schema, start, a send in a transaction, the receivers' deliveries, close. The README's
 * blocks are these files' tagged regions ({@code ReadmeSnippetsTest}).
 *
 * <p>They use the default table, {@code herald_task}, as the README does; on a reused server it may
 * hold other runs' tasks, so each run sends payments of its own random ids and waits for them.
 */
class ReadmeQuickstartsIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void r2dbcQuickstartInstallsStartsDeliversAndCloses() {
    long paymentId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    List<Long> paid = new CopyOnWriteArrayList<>();
    Sinks.Many<Long> completed = Sinks.many().replay().all();
    Sinks.Many<Long> receipts = Sinks.many().replay().all();
    Payments payments = (conn, id) -> selectOne(conn).doOnSuccess(v -> paid.add(id));
    Orders orders = orderId -> Mono.fromRunnable(() -> completed.tryEmitNext(orderId));
    Mailer mailer =
        (payment, taskId) -> Mono.fromRunnable(() -> receipts.tryEmitNext(payment.paymentId()));
    TestDatabase.Endpoint db = TestDatabase.endpoint();
    String url = "r2dbc:" + postgresqlUri(db);

    R2dbcPaymentsApp app = new R2dbcPaymentsApp(url, payments, orders, mailer);
    app.start().block(TIMEOUT);
    try {
      app.complete(paymentId, paymentId + 1).block(TIMEOUT);

      assertThat(paid).containsExactly(paymentId);
      await(completed.asFlux(), paymentId + 1);
      await(receipts.asFlux(), paymentId);

      // The application's own transaction, on a connection of its own.
      long second = paymentId ^ 1;
      Mono.usingWhen(
              R2dbcConnections.factory("readme-quickstart").create(),
              conn ->
                  Mono.from(conn.beginTransaction())
                      .then(app.complete(conn, second, second + 1))
                      .then(Mono.from(conn.commitTransaction())),
              Connection::close)
          .block(TIMEOUT);
      await(receipts.asFlux(), second);
    } finally {
      app.close().block(TIMEOUT);
    }
  }

  @Test
  void vertxQuickstartInstallsStartsDeliversAndCloses() {
    long paymentId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    Sinks.Many<Long> completed = Sinks.many().replay().all();
    VertxPayments payments = (conn, id) -> conn.query("SELECT 1").execute().<Void>mapEmpty();
    VertxOrders orders =
        (conn, orderId) ->
            conn.query("SELECT 1")
                .execute()
                .<Void>mapEmpty()
                .onSuccess(v -> completed.tryEmitNext(orderId));
    VertxConnections.options("readme-warm-up", 1, true); // opens the JVM's first socket here
    TestDatabase.Endpoint db = TestDatabase.endpoint();
    String uri = postgresqlUri(db);
    Vertx vertx = Vertx.vertx();
    try {
      VertxPaymentsApp app = new VertxPaymentsApp(vertx, uri, payments, orders);
      app.start().block(TIMEOUT);
      try {
        bridge(app.complete(paymentId, paymentId + 1)).block(TIMEOUT);

        await(completed.asFlux(), paymentId + 1);
      } finally {
        app.close().block(TIMEOUT);
      }
    } finally {
      bridge(vertx.close()).block(TIMEOUT);
    }
  }

  private static Mono<Void> selectOne(Connection conn) {
    return Flux.from(conn.createStatement("SELECT 1").execute())
        .flatMap(result -> result.getRowsUpdated())
        .then();
  }

  private static void await(Flux<Long> seen, long expected) {
    assertThat(seen.filter(id -> id == expected).next().block(TIMEOUT)).isEqualTo(expected);
  }

  private static Mono<Void> bridge(Future<Void> future) {
    return Mono.fromCompletionStage(() -> future.toCompletionStage()).then();
  }

  /**
   * The endpoint as the URI the quickstarts take. A trust-auth server has no password: the user
   * info is then the user alone, since Vert.x refuses {@code user:@host}.
   */
  private static String postgresqlUri(TestDatabase.Endpoint db) {
    String password =
        db.password() == null || db.password().isEmpty() ? "" : ":" + encode(db.password());
    return "postgresql://"
        + encode(db.user())
        + password
        + "@"
        + db.host()
        + ":"
        + db.port()
        + "/"
        + db.database();
  }

  private static String encode(String s) {
    return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
