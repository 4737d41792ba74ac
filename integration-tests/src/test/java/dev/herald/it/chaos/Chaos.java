package dev.herald.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.fixtures.R2dbcConnections;
import dev.herald.fixtures.R2dbcSql;
import dev.herald.fixtures.TestDatabase;
import dev.herald.r2dbc.R2dbcTaskStore;
import dev.herald.spi.TableName;
import dev.herald.testkit.StoreFixture;
import io.r2dbc.pool.ConnectionPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Shared machinery of the chaos scenarios: oracle, producer, waiting and the report. */
final class Chaos {

  /** The application name of the chaos nodes' connections, so that they can be found and killed. */
  static final String APP = "herald-chaos";

  /** Producer outcome counters. */
  static final class Counts {
    final AtomicLong committed = new AtomicLong();
    final AtomicLong rolledBack = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
  }

  final TestDatabase.Endpoint db;
  final String table = TestDatabase.freshTable();
  final ConnectionPool admin;
  final Oracle oracle;

  Chaos(TestDatabase.Endpoint db) {
    this.db = db;
    this.admin = R2dbcConnections.pool(db, "herald-chaos-admin", 4, Duration.ofSeconds(10));
    this.oracle = new Oracle(admin, table);
    oracle.install();
    Herald.builder(R2dbcTaskStore.builder(admin).tableName(table).listen(false).build())
        .build()
        .installSchema()
        .block(Duration.ofSeconds(30));
  }

  /**
   * Sends at a fixed rate for a duration, rolling back about one transaction in ten.
   *
   * @return completes when the duration is over and every send has finished
   */
  static Mono<Counts> produce(Node sender, String table, int perSecond, Duration duration) {
    Counts counts = new Counts();
    String run = Long.toString(System.nanoTime(), 36);
    return Flux.interval(Duration.ofNanos(1_000_000_000L / perSecond))
        .onBackpressureDrop()
        .take(duration)
        .flatMap(
            i -> {
              boolean rollback = ThreadLocalRandom.current().nextInt(10) == 0;
              return sender
                  .send(table, run + "-" + i, rollback)
                  .doOnSuccess(v -> counts.committed.incrementAndGet())
                  .onErrorResume(
                      e -> {
                        (e instanceof Node.RolledBack ? counts.rolledBack : counts.failed)
                            .incrementAndGet();
                        return Mono.empty();
                      });
            },
            32)
        .then(Mono.just(counts));
  }

  /** The time of the latest delivery by any of the nodes, updated as they deliver. */
  static AtomicLong lastDelivery(Node... nodes) {
    AtomicLong last = new AtomicLong(System.nanoTime());
    for (Node n : nodes) {
      n.herald
          .events()
          .ofType(dev.herald.HeraldEvent.Delivered.class)
          .subscribe(e -> last.set(System.nanoTime()));
    }
    return last;
  }

  /** Waits until every committed send was delivered and the task table is empty. */
  void awaitDrained(Duration atMost) {
    Awaitility.await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> oracle.lost() == 0 && oracle.left() == 0);
  }

  /** Asserts the invariants every scenario must keep, and writes its report row. */
  Oracle.Verdict conclude(String scenario, Counts counts, String notes) {
    Oracle.Verdict v = oracle.verdict(scenario, counts.rolledBack.get(), notes);
    report(v.row());
    assertThat(v.committed()).as("committed sends").isPositive();
    assertThat(v.lost()).as("committed but never delivered").isZero();
    assertThat(v.phantoms()).as("delivered although rolled back").isZero();
    assertThat(v.leftInTable()).as("rows left ready or leased").isZero();
    return v;
  }

  static void log(String line) {
    System.out.println("CHAOS " + line);
  }

  static synchronized void report(String line) {
    System.out.println("CHAOS " + line);
    Path file = Path.of("target", "chaos-report.md");
    try {
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.writeString(
            file,
            "| scenario | committed | rolled back | delivered | duplicates | lost | phantoms |"
                + " left | notes |\n|---|---|---|---|---|---|---|---|---|\n",
            StandardCharsets.UTF_8);
      }
      Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String channel() {
    return TableName.parse(table).channel();
  }

  void drop() {
    for (String t : new String[] {table, oracle.sent(), oracle.seen()}) {
      R2dbcSql.execute(admin, "DROP TABLE IF EXISTS " + t).block(Duration.ofSeconds(30));
    }
    R2dbcSql.execute(admin, StoreFixture.dropFunctions(table)).block(Duration.ofSeconds(30));
    admin.dispose();
  }
}
