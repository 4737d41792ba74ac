package dev.herald.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  void theClaimWalksItsIndexInOrderWhateverThePlannerWouldPrefer() {
    insertReady(20_000);
    // A session that prices index probes above reading the table stands for any reason the
    // planner may prefer reading every ready row (stale statistics did it in the soak): the
    // claim's own statement, run bare, then reads the whole backlog; the schema's claim function
    // still stops after five.
    String args = "('{s}', '{r}', '{5}', 'plan-test', 60, '{NULL}', '{false}')";
    assertThat(readBy(bare(CLAIM) + args)).isGreaterThanOrEqualTo(20_000);
    assertThat(readBy("SELECT * FROM " + fixture.table + "_claim" + args)).isBetween(5L, 50L);
  }

  @Test
  void anOrderedClaimProbesTheOrderingIndexForEachCandidate() {
    // 20k keyed tasks, 1,000 keys sent round-robin: the first 1,000 in claim order are heads.
    fixture
        .execute(
            "INSERT INTO "
                + fixture.table
                + " (signal, receiver, payload, order_key) SELECT 's', 'r', '{}', 'k' || (i % 1000)"
                + " FROM generate_series(1, 20000) AS i")
        .block(Duration.ofSeconds(30));
    // Five heads, each with its ordering check: a probe of the ordering index per partition.
    assertThat(
            readBy(
                "SELECT * FROM "
                    + fixture.table
                    + "_claim('{s}', '{r}', '{5}', 'plan-test', 60, '{NULL}', '{false}')"))
        .isBetween(5L, 100L);
  }

  @Test
  void theTokenLockedWritesProbeThePrimaryKeyWhateverThePlannerWouldPrefer() {
    insertReady(20_000);
    // Five claimed tasks: their ids, attempts and owner, the functions' first arguments.
    String tokens =
        fixture
            .query(
                "SELECT format('(%L, %L, ''plan-test''', array_agg(id), array_agg(attempt)) FROM "
                    + fixture.table
                    + "_claim('{s}', '{r}', '{5}', 'plan-test', 60, '{NULL}', '{false}')",
                String.class)
            .blockFirst(Duration.ofSeconds(10));
    // Statistics taken while the table was nearly empty made acknowledgements read the whole
    // table in the soak. Each write is rolled back, so every one finds the same five tokens.
    Map<String, String> writes = new LinkedHashMap<>();
    writes.put("lock_tokens", ")");
    writes.put("complete_many", ")");
    writes.put("release", ", 1)");
    writes.put("extend_lease", ", 60)");
    writes.forEach(
        (function, rest) -> {
          assertThat(readBy(bare(function) + tokens + rest))
              .as(function)
              .isGreaterThanOrEqualTo(20_000);
          assertThat(readBy("SELECT * FROM " + fixture.table + "_" + function + tokens + rest))
              .as(function)
              .isBetween(5L, 50L);
        });
  }

  private void insertReady(int rows) {
    fixture
        .execute(
            "INSERT INTO "
                + fixture.table
                + " (signal, receiver, payload) SELECT 's', 'r', '{}' FROM generate_series(1, "
                + rows
                + ")")
        .block(Duration.ofSeconds(30));
  }

  /**
   * Statements that create a bare copy of the schema function {@code <table>_<function>}, with its
   * arguments, result and body but without its SET clauses, and select from it: the caller appends
   * the arguments.
   */
  // The claim of version 5 (version 4's overload stays for nodes of that version).
  private static final String CLAIM =
      "claim(text[], text[], int[], text, float8, text[], boolean[])";

  private String bare(String function) {
    String create =
        fixture
            .query(
                "SELECT 'CREATE FUNCTION pg_temp.bare(' || pg_get_function_arguments(oid)"
                    + " || ') RETURNS ' || pg_get_function_result(oid)"
                    + " || ' LANGUAGE sql AS $body$' || prosrc || '$body$'"
                    + " FROM pg_proc WHERE oid = '"
                    + fixture.table
                    + "_"
                    + function
                    + (function.contains("(") ? "'::regprocedure" : "'::regproc"),
                String.class)
            .blockFirst(Duration.ofSeconds(10));
    return create + ";\nSELECT * FROM pg_temp.bare";
  }

  /**
   * Rows and index entries of the task table that {@code statement} read, in a transaction that is
   * rolled back and prices every index probe above reading the whole table.
   */
  private long readBy(String statement) {
    // The counters may include earlier transactions of the same session not yet reported: the
    // statement's share is the difference.
    // Every partition of the task table, and every index of each.
    String read =
        ("SELECT -1, sum(pg_stat_get_xact_tuples_fetched(r) + pg_stat_get_xact_tuples_returned(r))"
                + "::bigint FROM (SELECT p.relid::oid AS r FROM pg_partition_tree('%1$s') p"
                + " UNION ALL SELECT i.indexrelid FROM pg_index i"
                + " WHERE i.indrelid IN (SELECT relid FROM pg_partition_tree('%1$s'))) x")
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
                                        "SET LOCAL random_page_cost = 1000000",
                                        read,
                                        statement,
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
}
