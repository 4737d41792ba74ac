package dev.herald.it.chaos;

import dev.herald.fixtures.R2dbcConnections;
import dev.herald.fixtures.TestDatabase;
import io.r2dbc.pool.ConnectionPool;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Scenario 2: PostgreSQL restarted mid-run. Uses a server of its own (embedded, same data directory
 * and port across the restart) so that restarting it disturbs nothing else.
 */
class PostgresRestartChaosIT {

  @Test
  void dispatchersPoolsAndListenersRecoverFromARestartWithoutAnApplicationRestart()
      throws Exception {
    Path data = Files.createTempDirectory("herald-chaos-pg");
    EmbeddedPostgres pg = start(data, 0);
    int port = pg.getPort();
    TestDatabase.Endpoint db =
        new TestDatabase.Endpoint("127.0.0.1", port, "postgres", "postgres", "postgres");
    Chaos chaos = new Chaos(db);
    ConnectionPool pool = R2dbcConnections.pool(db, Chaos.APP, 8, Duration.ofSeconds(10));
    Node a = new Node(pool, chaos.table, "a", n -> Mono.empty());
    Node b = new Node(pool, chaos.table, "b", n -> Mono.empty());
    a.start();
    b.start();
    AtomicLong lastDelivery = Chaos.lastDelivery(a, b);
    try {
      var production = Chaos.produce(a, chaos.table, 150, Duration.ofSeconds(20)).toFuture();
      Mono.delay(Duration.ofSeconds(6)).block();
      long down = System.nanoTime();
      pg.close();
      pg = start(data, port);
      long up = System.nanoTime();
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> lastDelivery.get() > up);
      long resumeMs = TimeUnit.NANOSECONDS.toMillis(lastDelivery.get() - up);
      long downMs = TimeUnit.NANOSECONDS.toMillis(up - down);
      Chaos.Counts counts = production.get(2, TimeUnit.MINUTES);
      chaos.awaitDrained(Duration.ofMinutes(1));
      chaos.conclude(
          "2. PostgreSQL restart",
          counts,
          String.format(
              Locale.ROOT,
              "server down %d ms; first delivery %d ms after it was back; %d sends failed while"
                  + " down",
              downMs,
              resumeMs,
              counts.failed.get()));
    } finally {
      a.herald.close().block(Duration.ofSeconds(30));
      b.herald.close().block(Duration.ofSeconds(30));
      pool.dispose();
      chaos.drop();
      pg.close();
    }
  }

  private static EmbeddedPostgres start(Path data, int port) throws java.io.IOException {
    EmbeddedPostgres.Builder b =
        EmbeddedPostgres.builder()
            .setDataDirectory(data)
            .setCleanDataDirectory(false)
            .setServerConfig("fsync", "off")
            .setServerConfig("synchronous_commit", "off")
            .setServerConfig("max_connections", "100");
    if (port > 0) {
      b.setPort(port);
    }
    return b.start();
  }
}
