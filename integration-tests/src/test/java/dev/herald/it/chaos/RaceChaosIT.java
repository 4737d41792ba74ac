package dev.herald.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.Herald;
import dev.herald.HeraldOptions;
import dev.herald.ReceiverOptions;
import dev.herald.Signal;
import dev.herald.it.Fleet;
import dev.herald.testkit.Note;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Chaos scenario 7: two R2DBC dispatchers and one Vert.x dispatcher race on one table for 100k
 * tasks while producers commit (and roll back about one transaction in ten) throughout. No crash,
 * so every committed task must be delivered exactly once and nothing rolled back ever.
 */
class RaceChaosIT {

  private static final int COMMITTED_TARGET = 100_000;
  private static final int PER_TX = 100;

  private final Fleet fleet = new Fleet("herald-chaos-race", 12);

  @AfterEach
  void close() {
    fleet.close();
  }

  @Test
  void threeDispatchersOnTwoDriversShareOneHundredThousandTasksExactlyOnce() throws IOException {
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> byNode = new ConcurrentHashMap<>();
    UnaryOperator<HeraldOptions.Builder> options =
        o -> o.maxInFlight(256).pollInterval(Duration.ofMillis(250)).lease(Duration.ofSeconds(10));

    Herald vertx = fleet.node(fleet.vertxStore, options);
    Signal<Note> sender = connect(vertx, "vertx", calls, byNode);
    for (String name : new String[] {"r2dbc-1", "r2dbc-2"}) {
      Herald h = fleet.node(fleet.r2dbcStore, options);
      connect(h, name, calls, byNode);
      h.start();
    }
    vertx.start();

    Set<String> committed = ConcurrentHashMap.newKeySet();
    Set<String> rolledBack = ConcurrentHashMap.newKeySet();
    long start = System.nanoTime();
    Flux.range(0, Integer.MAX_VALUE)
        .takeWhile(b -> committed.size() < COMMITTED_TARGET)
        .flatMap(
            batch -> {
              boolean rollback = ThreadLocalRandom.current().nextInt(10) == 0;
              Set<String> keys = ConcurrentHashMap.newKeySet();
              Flux<Void> sends =
                  Flux.range(0, PER_TX)
                      .map(i -> (String) ("b" + batch + "-" + i))
                      .doOnNext(keys::add)
                      .concatMap(k -> sender.sendReliable(new Note(k, 0)));
              Mono<Void> work =
                  sends.then(
                      rollback
                          ? Mono.<Void>error(new IllegalStateException("rollback"))
                          : Mono.<Void>empty());
              Mono<Void> tx =
                  batch % 2 == 0
                      ? fleet.vertxStore.inTransaction(c -> work)
                      : fleet.r2dbcStore.inTransaction(c -> work);
              return tx.doOnSuccess(v -> committed.addAll(keys))
                  .onErrorResume(
                      e -> {
                        rolledBack.addAll(keys);
                        return Mono.empty();
                      });
            },
            4)
        .blockLast(Duration.ofMinutes(5));

    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> committed.stream().allMatch(calls::containsKey) && fleet.rowsLeft() == 0);
    double seconds = (System.nanoTime() - start) / 1e9;

    long duplicates = calls.values().stream().filter(c -> c.get() > 1).count();
    long phantoms = calls.keySet().stream().filter(rolledBack::contains).count();
    long lost = committed.stream().filter(k -> !calls.containsKey(k)).count();
    report(
        String.format(
            Locale.ROOT,
            "| 7. race: 2 R2DBC + 1 Vert.x dispatchers | %d | %d | %d | %d | %d | %d | 0 | %.0f s"
                + " end to end; deliveries by node %s |",
            committed.size(),
            rolledBack.size(),
            calls.size(),
            duplicates,
            lost,
            phantoms,
            seconds,
            byNode));
    assertThat(lost).isZero();
    assertThat(phantoms).isZero();
    assertThat(duplicates).isZero();
    assertThat(byNode).containsKeys("vertx", "r2dbc-1", "r2dbc-2");
  }

  private static Signal<Note> connect(
      Herald herald,
      String node,
      Map<String, AtomicInteger> calls,
      Map<String, AtomicInteger> byNode) {
    Signal<Note> signal = herald.signal("chaos.race", Note.class);
    signal.connect(
        "deliver",
        ReceiverOptions.builder().concurrency(64).build(),
        d ->
            Mono.fromRunnable(
                () -> {
                  calls
                      .computeIfAbsent(d.payload().key(), k -> new AtomicInteger())
                      .incrementAndGet();
                  byNode.computeIfAbsent(node, n -> new AtomicInteger()).incrementAndGet();
                }));
    return signal;
  }

  private static synchronized void report(String row) throws IOException {
    System.out.println("CHAOS " + row);
    Path file = Path.of("target", "chaos-report.md");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        row + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
