package dev.herald.it.chaos;

import dev.herald.fixtures.R2dbcConnections;
import dev.herald.fixtures.R2dbcSql;
import dev.herald.fixtures.TestDatabase;
import io.r2dbc.pool.ConnectionPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Scenario 3: the listener and every pool connection are terminated, repeatedly. */
class TerminateBackendChaosIT {

  @Test
  void wakeupsAndClaimsResumeAfterEveryConnectionIsKilled() throws Exception {
    Chaos chaos = new Chaos(TestDatabase.endpoint());
    ConnectionPool pool = R2dbcConnections.pool(chaos.db, Chaos.APP, 8, Duration.ofSeconds(10));
    Node a = new Node(pool, chaos.table, "a", n -> Mono.empty()).start();
    Node b = new Node(pool, chaos.table, "b", n -> Mono.empty()).start();
    AtomicLong lastDelivery = Chaos.lastDelivery(a, b);
    List<Long> recoveries = new ArrayList<>();
    try {
      var production = Chaos.produce(a, chaos.table, 150, Duration.ofSeconds(20)).toFuture();
      for (int round = 0; round < 8; round++) {
        Mono.delay(Duration.ofMillis(1500)).block();
        long killed =
            R2dbcSql.query(
                    chaos.admin,
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE application_name = '"
                        + Chaos.APP
                        + "' AND pid <> pg_backend_pid()",
                    Long.class)
                .blockFirst();
        long at = System.nanoTime();
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(10))
            .until(() -> lastDelivery.get() > at);
        recoveries.add(TimeUnit.NANOSECONDS.toMillis(lastDelivery.get() - at));
        Chaos.log("terminate round " + round + ": " + killed + " backends killed");
      }
      Chaos.Counts counts = production.get(2, TimeUnit.MINUTES);
      chaos.awaitDrained(Duration.ofMinutes(1));
      long max = recoveries.stream().mapToLong(Long::longValue).max().orElse(0);
      double avg = recoveries.stream().mapToLong(Long::longValue).average().orElse(0);
      chaos.conclude(
          "3. pg_terminate_backend x" + recoveries.size(),
          counts,
          String.format(
              Locale.ROOT,
              "deliveries resumed after avg %.0f ms, max %d ms; %d sends failed while killed",
              avg,
              max,
              counts.failed.get()));
    } finally {
      a.herald.close().block(Duration.ofSeconds(30));
      b.herald.close().block(Duration.ofSeconds(30));
      pool.dispose();
      chaos.drop();
    }
  }
}
