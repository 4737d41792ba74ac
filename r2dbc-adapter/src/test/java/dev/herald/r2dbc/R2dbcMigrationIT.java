package dev.herald.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.Herald;
import dev.herald.Signal;
import dev.herald.TaskInfo;
import dev.herald.spi.RotatedGeneration;
import dev.herald.spi.RotatedGeneration.Outcome;
import dev.herald.spi.TaskRotateParams;
import dev.herald.testkit.Note;
import dev.herald.testkit.StoreFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Every schema version upgrades a table of the previous one in place, keeping every task and its
 * state: version 4 moves a table of version 3 into the ring of generations, version 5 adds the
 * delivery controls to a ring of version 4.
 */
class R2dbcMigrationIT {

  private final R2dbcFixture fixture = new R2dbcFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void aVersion3TableMovesIntoTheRingInPlaceWithEveryTaskAndItsState() {
    upgradesInPlace(3);
    assertThat(
            fixture
                .query(
                    "SELECT relkind::text FROM pg_class WHERE oid = '"
                        + fixture.table
                        + "'::regclass",
                    String.class)
                .blockFirst())
        .isEqualTo("p");
  }

  @Test
  void aVersion4TableTakesVersion5InPlaceWithEveryTaskAndItsState() {
    upgradesInPlace(4);
    assertThat(
            fixture
                .query("SELECT count(*) FROM " + fixture.table + "_receivers", Long.class)
                .blockFirst())
        .as("the node that delivered registered its receiver")
        .isEqualTo(1);
  }

  /**
   * Seeds a table of {@code version} with tasks in every state (due, scheduled, dead, and leased by
   * an old node), installs this release's schema, and checks that every row is kept unchanged and
   * the tasks are delivered.
   */
  private void upgradesInPlace(int version) {
    String t = fixture.table;
    fixture.execute(StoreFixture.dropTables(t)).block(Duration.ofSeconds(30));
    fixture.execute(StoreFixture.dropFunctions(t)).block(Duration.ofSeconds(30));
    fixture.execute(versionScript(t, version)).block(Duration.ofSeconds(30));
    String note = "'{\"key\": \"k\", \"n\": 1}'";
    fixture
        .execute(
            "INSERT INTO "
                + t
                + " (signal, receiver, payload) SELECT 's', 'r', "
                + note
                + " FROM generate_series(1, 4)")
        .block();
    fixture
        .execute(
            "INSERT INTO "
                + t
                + " (signal, receiver, payload, run_at) VALUES ('s', 'r', "
                + note
                + ", now() + interval '1 hour')")
        .block();
    fixture
        .execute(
            "INSERT INTO "
                + t
                + " (signal, receiver, payload, state, attempt, last_error)"
                + " VALUES ('s', 'r', "
                + note
                + ", 'dead', 3, 'gave up')")
        .block();
    // One task leased by a node of version 3 whose lease runs out 1 s from now.
    assertThat(
            fixture
                .query(
                    "SELECT count(*) FROM " + t + "_claim('{s}', '{r}', '{1}', 'old', 1, '{NULL}')",
                    Long.class)
                .blockFirst())
        .isEqualTo(1);
    List<String> before = rows(t);

    fixture.store().installSchema().block(Duration.ofSeconds(30));

    assertThat(rows(t)).containsExactlyElementsOf(before);
    long maxBefore = fixture.query("SELECT max(id) FROM " + t, Long.class).blockFirst();
    long next =
        fixture
            .query(
                "INSERT INTO "
                    + t
                    + " (signal, receiver, payload) VALUES ('s', 'x', "
                    + note
                    + ")"
                    + " RETURNING id",
                Long.class)
            .blockFirst();
    assertThat(next).isGreaterThan(maxBefore);
    fixture.execute("DELETE FROM " + t + " WHERE id = " + next).block();

    // The four due tasks are delivered (the leased one once its lease ran out), the scheduled one
    // and the dead letter stay, and so they do once the migrated generation is truncated.
    List<Note> delivered = new CopyOnWriteArrayList<>();
    Herald herald = fixture.herald();
    Signal<Note> signal = herald.signal("s", Note.class);
    signal.connect("r", d -> Mono.fromRunnable(() -> delivered.add(d.payload())));
    herald.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> delivered.size() == 4);
    fixture.nextGeneration().block();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              List<RotatedGeneration> step =
                  fixture.store().taskRotate(new TaskRotateParams(100)).collectList().block();
              return !step.isEmpty()
                  && step.stream()
                      .allMatch(
                          g -> g.outcome() == Outcome.CLEAN || g.outcome() == Outcome.TRUNCATED);
            });
    List<TaskInfo> dead = herald.deadLetters().list(10).collectList().block();
    assertThat(dead).singleElement().extracting(TaskInfo::lastError).isEqualTo("gave up");
    assertThat(
            fixture
                .query("SELECT count(*) FROM " + t + " WHERE state = 'ready'", Long.class)
                .blockFirst())
        .isEqualTo(1);
    assertThat(delivered).hasSize(4);
  }

  /** Every row as text, by id: what a migration must keep. */
  private List<String> rows(String t) {
    return fixture
        .query(
            "SELECT concat_ws('|', id, signal, receiver, payload, headers, state, attempt, run_at,"
                + " locked_until, locked_by, last_error, created_at) FROM "
                + t
                + " ORDER BY id",
            String.class)
        .collectList()
        .block();
  }

  private static String versionScript(String table, int version) {
    return Stream.of(
            "V1__task_table.sql",
            "V2__claim_function.sql",
            "V3__token_functions.sql",
            "V4__generation_ring.sql")
        .limit(version)
        .map(R2dbcMigrationIT::resource)
        .collect(Collectors.joining("\n"))
        .replace("${table}", table)
        .replace("${name}", table);
  }

  private static String resource(String name) {
    try (InputStream in =
        R2dbcMigrationIT.class.getResourceAsStream("/dev/herald/schema/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
