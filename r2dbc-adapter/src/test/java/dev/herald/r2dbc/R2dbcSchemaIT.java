package dev.herald.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.Herald;
import dev.herald.Signal;
import dev.herald.testkit.Note;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Schema installation and hostile input against real SQL. */
class R2dbcSchemaIT {

  private final R2dbcFixture fixture = new R2dbcFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void installSchemaIsIdempotentAndSafeToRunConcurrently() {
    Flux.range(0, 4)
        .flatMap(i -> fixture.store().installSchema())
        .then()
        .block(Duration.ofSeconds(30));
    assertThat(
            fixture
                .query(
                    "SELECT count(*) FROM pg_indexes WHERE tablename = '" + fixture.table + "'",
                    Long.class)
                .blockFirst())
        .isEqualTo(3);
  }

  @Test
  void theClaimWalksItsIndexInOrderWhateverThePlannerWouldPrefer() {
    fixture
        .execute(
            "INSERT INTO "
                + fixture.table
                + " (signal, receiver, payload) SELECT 's', 'r', '{}' FROM generate_series(1, 20000)")
        .block(Duration.ofSeconds(30));
    // A session that rules out index scans stands for any reason the planner may prefer reading
    // every ready row (stale statistics did it in the soak): the claim's own statement, run bare,
    // then reads the whole backlog; the schema's claim function still stops after five. The bare
    // copy has the function's own arguments, result and body, without its SET clauses.
    String bare =
        fixture
            .query(
                "SELECT 'CREATE FUNCTION pg_temp.bare_claim(' || pg_get_function_arguments(oid)"
                    + " || ') RETURNS ' || pg_get_function_result(oid)"
                    + " || ' LANGUAGE sql AS $body$' || prosrc || '$body$'"
                    + " FROM pg_proc WHERE oid = '"
                    + fixture.table
                    + "_claim'::regproc",
                String.class)
            .blockFirst(Duration.ofSeconds(10));
    String args = "('{s}', '{r}', '{5}', 'plan-test', 60, '{NULL}')";
    assertThat(readByClaim(bare + ";\nSELECT * FROM pg_temp.bare_claim" + args))
        .isGreaterThanOrEqualTo(20_000);
    assertThat(readByClaim("SELECT * FROM " + fixture.table + "_claim" + args)).isBetween(5L, 50L);
  }

  /**
   * Rows and claim index entries {@code claim} read, in a transaction that rules out index scans.
   */
  private long readByClaim(String claim) {
    // The counters may include earlier transactions of the same session not yet reported: the
    // claim's share is the difference.
    String read =
        ("SELECT -1, pg_stat_get_xact_tuples_fetched('%1$s'::regclass)"
                + " + pg_stat_get_xact_tuples_returned('%1$s'::regclass)"
                + " + pg_stat_get_xact_tuples_returned('%1$s_claim_idx'::regclass)")
            .formatted(fixture.table);
    List<Long> counts =
        Mono.usingWhen(
                R2dbcFixture.pool().create(),
                c ->
                    Flux.from(
                            c.createStatement(
                                    String.join(
                                        ";\n",
                                        "BEGIN",
                                        "SET LOCAL enable_indexscan = off",
                                        read,
                                        claim,
                                        read,
                                        "ROLLBACK"))
                                .execute())
                        .concatMap(
                            r ->
                                r.map(
                                    (row, meta) ->
                                        row.get(0, Long.class) == -1
                                            ? row.get(1, Long.class)
                                            : -1L))
                        .filter(n -> n >= 0)
                        .collectList(),
                // A failed statement leaves the transaction open: end it before the pool reuses it.
                c ->
                    Flux.from(c.createStatement("ROLLBACK").execute())
                        .then()
                        .onErrorResume(e -> Mono.empty())
                        .then(Mono.from(c.close())))
            .block(Duration.ofSeconds(30));
    assertThat(counts).hasSize(2);
    return counts.get(1) - counts.get(0);
  }

  @Test
  void anInvalidTableNameIsRejectedWhenTheStoreIsBuilt() {
    assertThatThrownBy(
            () ->
                R2dbcTaskStore.builder(R2dbcFixture.pool())
                    .tableName("tasks; DROP TABLE x")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tableName must be a plain identifier")
        .hasMessageContaining("'tasks; DROP TABLE x'");
  }

  @Test
  void hostileSignalAndReceiverNamesAreStoredAsDataAndDelivered() {
    String signalName = "x'); DROP TABLE " + fixture.table + "; --";
    String receiverName = "r\"; DELETE FROM " + fixture.table + " WHERE 'a'='a";
    List<String> seen = new CopyOnWriteArrayList<>();
    Herald herald = fixture.herald();
    Signal<Note> signal = herald.signal(signalName, Note.class);
    signal.connect(
        receiverName, d -> Mono.fromRunnable(() -> seen.add(d.signal() + "|" + d.receiver())));
    herald.start();

    fixture.inTransaction(signal.sendReliable(new Note("'quoted' \"payload\"; --", 1))).block();

    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
    assertThat(seen).containsExactly(signalName + "|" + receiverName);
    // Acknowledged (deleted) in a batch shortly after the receiver completed.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                fixture.query("SELECT count(*) FROM " + fixture.table, Long.class).blockFirst()
                    == 0);
  }
}
