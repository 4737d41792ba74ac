package dev.herald.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.HeraldOptions;
import dev.herald.ReceiverBacklog;
import dev.herald.TaskInfo;
import dev.herald.fixtures.R2dbcConnections;
import dev.herald.fixtures.R2dbcSql;
import dev.herald.fixtures.TestDatabase;
import dev.herald.r2dbc.R2dbcTaskStore;
import io.r2dbc.pool.ConnectionPool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Scenario 5: poison input mixed into a healthy flow: clear errors, nothing lost. */
class PoisonInputChaosIT {

  @Test
  void poisonIsDeadLetteredOrParkedAndTheFlowLosesNothing() throws Exception {
    Chaos chaos = new Chaos(TestDatabase.endpoint());
    ConnectionPool pool = R2dbcConnections.pool(chaos.db, Chaos.APP, 8, Duration.ofSeconds(10));
    Node node = new Node(pool, chaos.table, "n", n -> Mono.empty()).start();
    String hostile = "x'); DROP TABLE " + chaos.table + "; --\"";
    try {
      var production = Chaos.produce(node, chaos.table, 150, Duration.ofSeconds(10)).toFuture();
      String insert =
          "INSERT INTO " + chaos.table + " (signal, receiver, payload) VALUES ($1, $2, $3::jsonb)";
      Flux.range(0, 50)
          .concatMap(
              i ->
                  R2dbcSql.execute(
                          pool,
                          insert,
                          Node.SIGNAL,
                          Node.RECEIVER,
                          "[\"not\", \"a note\", " + i + "]")
                      .then(
                          R2dbcSql.execute(
                              pool,
                              insert,
                              Node.SIGNAL,
                              "retired-" + (i % 3),
                              "{\"key\":\"u" + i + "\",\"n\":1}"))
                      .then(
                          R2dbcSql.execute(
                              pool, insert, hostile, hostile, "{\"key\":\"h" + i + "\",\"n\":1}"))
                      .then(Mono.delay(Duration.ofMillis(100))))
          .blockLast(Duration.ofMinutes(1));
      assertThatThrownBy(() -> R2dbcTaskStore.builder(pool).tableName(hostile).build())
          .hasMessageContaining("tableName must be a plain identifier");
      assertThatThrownBy(() -> HeraldOptions.builder().pollInterval(Duration.ofSeconds(-1)))
          .hasMessage("pollInterval must be positive, but was PT-1S");

      Chaos.Counts counts = production.get(2, TimeUnit.MINUTES);
      Awaitility.await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> chaos.oracle.lost() == 0 && deadUndecodable(node) == 50);
      List<ReceiverBacklog> unknown =
          node.herald.backlog().filter(b -> !b.connected()).collectList().block();
      assertThat(unknown)
          .extracting(ReceiverBacklog::receiver)
          .containsExactlyInAnyOrder("retired-0", "retired-1", "retired-2", hostile);
      assertThat(unknown).extracting(ReceiverBacklog::ready).containsOnly(17L, 17L, 16L, 50L);
      long parked = unknown.stream().mapToLong(ReceiverBacklog::ready).sum();
      for (ReceiverBacklog b : unknown) {
        node.herald.deadLetterReady(b.signal(), b.receiver()).block();
      }
      assertThat(node.herald.deadLetters().purgeAll(null, null).block()).isEqualTo(50 + parked);
      chaos.awaitDrained(Duration.ofMinutes(1));
      chaos.conclude(
          "5. poison input",
          counts,
          "50 undecodable dead-lettered with reason; "
              + parked
              + " for unknown/hostile receivers parked, counted, then dead-lettered; bad config"
              + " rejected");
    } finally {
      node.herald.close().block(Duration.ofSeconds(30));
      pool.dispose();
      chaos.drop();
    }
  }

  private static long deadUndecodable(Node node) {
    return node.herald
        .deadLetters()
        .list(1000)
        .map(TaskInfo::lastError)
        .filter(e -> e.startsWith("undecodable payload"))
        .count()
        .block();
  }
}
