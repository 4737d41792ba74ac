package dev.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.Herald;
import dev.herald.HeraldOptions;
import dev.herald.ReceiverOptions;
import dev.herald.Signal;
import dev.herald.testkit.Note;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An R2DBC dispatcher and a Vert.x dispatcher share one table: same schema, same SQL, same claim
 * fencing, so a fleet may run both drivers (for example during a migration).
 */
class MixedFleetIT {

  private static final String SIGNAL = "fleet.note";
  private static final List<String> RECEIVERS = List.of("ledger", "mailer", "search", "audit");

  private final Fleet fleet = new Fleet("herald-mixed-fleet", 8);

  @AfterEach
  void close() {
    fleet.close();
  }

  private Signal<Note> node(
      Herald herald,
      String node,
      Map<Long, AtomicInteger> calls,
      Map<String, AtomicInteger> byNode) {
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    for (String receiver : RECEIVERS) {
      signal.connect(
          receiver,
          ReceiverOptions.builder().concurrency(8).build(),
          d ->
              Mono.delay(Duration.ofNanos(ThreadLocalRandom.current().nextLong(300_000)))
                  .doOnNext(
                      t -> {
                        calls
                            .computeIfAbsent(d.taskId(), id -> new AtomicInteger())
                            .incrementAndGet();
                        byNode.computeIfAbsent(node, n -> new AtomicInteger()).incrementAndGet();
                      })
                  .then());
    }
    return signal;
  }

  @Test
  void r2dbcAndVertxDispatchersShareTenThousandTasksEachDeliveredExactlyOnce() {
    Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> byNode = new ConcurrentHashMap<>();
    UnaryOperator<HeraldOptions.Builder> options =
        o -> o.maxInFlight(16).pollInterval(Duration.ofMillis(200)).lease(Duration.ofSeconds(10));

    Herald vertxNode = fleet.node(fleet.vertxStore, options);
    Signal<Note> viaVertx = node(vertxNode, "vertx", calls, byNode);
    Herald r2dbcNode = fleet.node(fleet.r2dbcStore, options);
    Signal<Note> viaR2dbc = node(r2dbcNode, "r2dbc", calls, byNode);
    vertxNode.start();
    r2dbcNode.start();

    // 2,500 sends x 4 receivers = 10,000 tasks, half sent on Vert.x transactions, half on R2DBC.
    int sends = 2_500;
    int tasks = sends * RECEIVERS.size();
    Flux.range(0, sends / 250)
        .concatMap(
            batch -> {
              Flux<Void> sendAll =
                  Flux.range(batch * 250, 250)
                      .concatMap(
                          i ->
                              (batch % 2 == 0 ? viaVertx : viaR2dbc)
                                  .sendReliable(new Note("n" + i, i)));
              return batch % 2 == 0
                  ? fleet.vertxStore.inTransaction(conn -> sendAll.then())
                  : fleet.r2dbcStore.inTransaction(conn -> sendAll.then());
            })
        .blockLast(Duration.ofMinutes(2));

    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> calls.size() >= tasks && fleet.rowsLeft() == 0);
    assertThat(calls).hasSize(tasks);
    Map<Integer, Long> histogram =
        calls.values().stream()
            .collect(Collectors.groupingBy(AtomicInteger::get, Collectors.counting()));
    assertThat(histogram).containsExactly(Map.entry(1, (long) tasks));
    assertThat(byNode.get("vertx").get()).isPositive();
    assertThat(byNode.get("r2dbc").get()).isPositive();
    assertThat(byNode.get("vertx").get() + byNode.get("r2dbc").get()).isEqualTo(tasks);
  }
}
