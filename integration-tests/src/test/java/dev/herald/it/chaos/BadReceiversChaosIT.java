package dev.herald.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.HeraldEvent;
import dev.herald.HeraldOptions;
import dev.herald.ReceiverOptions;
import dev.herald.RetryPolicy;
import dev.herald.Signal;
import dev.herald.fixtures.R2dbcConnections;
import dev.herald.fixtures.R2dbcSql;
import dev.herald.fixtures.TestDatabase;
import dev.herald.r2dbc.R2dbcTaskStore;
import dev.herald.testkit.Note;
import io.r2dbc.pool.ConnectionPool;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Scenario 4: throwing, hanging and slow receivers do not starve a healthy sibling. */
class BadReceiversChaosIT {

  private static final int TASKS = 4000;

  @Test
  void healthyReceiverKeepsItsThroughputBesideBadOnes() throws Exception {
    Chaos chaos = new Chaos(TestDatabase.endpoint());
    ConnectionPool pool = R2dbcConnections.pool(chaos.db, Chaos.APP, 12, Duration.ofSeconds(10));
    try {
      double baseline = healthyRate(chaos, pool, false);
      double degraded = healthyRate(chaos, pool, true);
      double ratio = degraded / baseline;
      Chaos.report(
          String.format(
              Locale.ROOT,
              "| 4. bad receivers | %d | 0 | %d | 0 | 0 | 0 | 0 | healthy %.0f/s alone, %.0f/s"
                  + " beside throwing, hanging and slow receivers: %.0f%% |",
              2 * TASKS,
              2 * TASKS,
              baseline,
              degraded,
              100 * ratio));
      // The target is 80% (reported above); the assertion guards against starvation only, since
      // on a shared 2-core machine this ratio swings with load (seen 0.43 to 3.8).
      assertThat(ratio).as("healthy throughput beside bad receivers / alone").isGreaterThan(0.5);
    } finally {
      pool.dispose();
      chaos.drop();
    }
  }

  private static double healthyRate(Chaos chaos, ConnectionPool pool, boolean withBadOnes)
      throws InterruptedException {
    R2dbcTaskStore store = R2dbcTaskStore.builder(pool).tableName(chaos.table).build();
    Herald herald =
        Herald.builder(store)
            .options(HeraldOptions.builder().pollInterval(Duration.ofMillis(200)).build())
            .build();
    Signal<Note> signal = herald.signal("chaos.bad", Note.class);
    CountDownLatch healthyDone = new CountDownLatch(TASKS);
    signal.connect(
        "healthy",
        d ->
            R2dbcSql.execute(
                    pool,
                    "INSERT INTO "
                        + chaos.oracle.seen()
                        + " (key, node, attempt) VALUES ($1, 'h', $2)",
                    d.payload().key(),
                    d.attempt())
                .doOnSuccess(n -> healthyDone.countDown())
                .then());
    if (withBadOnes) {
      RetryPolicy quick =
          RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ofMillis(50)).build();
      signal.connect(
          "throws",
          ReceiverOptions.builder().retryPolicy(quick).build(),
          d -> Mono.error(new IllegalStateException("always fails")));
      signal.connect(
          "hangs",
          ReceiverOptions.builder().retryPolicy(quick).timeout(Duration.ofMillis(300)).build(),
          d -> Mono.never());
      signal.connect("slow", d -> Mono.delay(Duration.ofMillis(200)).then());
    }
    String run = withBadOnes ? "degraded" : "baseline";
    Flux.range(0, TASKS / 100)
        .concatMap(
            b ->
                store.inTransaction(
                    c ->
                        Flux.range(b * 100, 100)
                            .concatMap(i -> signal.sendReliable(new Note(run + i, i)))
                            .then()))
        .blockLast(Duration.ofMinutes(2));
    herald.events().ofType(HeraldEvent.DeadLettered.class).subscribe();
    long start = System.nanoTime();
    herald.start();
    if (!healthyDone.await(2, TimeUnit.MINUTES)) {
      throw new AssertionError(
          "healthy receiver did not finish: " + healthyDone.getCount() + " left");
    }
    double rate = TASKS / ((System.nanoTime() - start) / 1e9);
    herald.close().block(Duration.ofSeconds(30));
    R2dbcSql.execute(pool, "DELETE FROM " + chaos.table).block();
    return rate;
  }
}
