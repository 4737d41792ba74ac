package dev.herald.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** {@code installSchema}: idempotent, and safe to run from several nodes at once. */
public interface SchemaConformance extends OperationKit {

  @Test
  default void installSchemaRunsAgainAndConcurrentlyOverALiveTableWithoutLosingTasks() {
    insert("kept", 3);

    Flux.range(0, 4)
        .flatMap(i -> ops().installSchema(), 4)
        .then(ops().installSchema())
        .block(Duration.ofSeconds(60));

    assertThat(rows("ready", "kept")).hasSize(3);
    assertThat(claim("node-a", "kept", 10)).hasSize(3);
  }

  @Test
  default void theSchemaIsTheRingOfGenerationsWithTheirKeysAndTheClaimIndex() {
    SqlStoreFixture sql = SqlStoreFixture.require(fixture());
    ops().installSchema().block(Duration.ofSeconds(60));

    assertThat(sql.count("SELECT count(*) FROM pg_indexes WHERE tablename = '" + sql.table() + "'"))
        .as(
            "the partitioned table's claim, dead-letter, ordering, dead-letter-by-pair and"
                + " dedupe-key indexes")
        .isEqualTo(5);
    assertThat(
            sql.count(
                "SELECT count(*) FROM pg_indexes WHERE tablename IN ('"
                    + sql.table()
                    + "_receivers', '"
                    + sql.table()
                    + "_keys')"))
        .as("the registry's primary key, the keys' primary key and task index")
        .isEqualTo(3);
    assertThat(
            sql.count(
                "SELECT count(*) FROM pg_partition_tree('"
                    + sql.table()
                    + "') p JOIN pg_index i ON i.indrelid = p.relid AND i.indisprimary"))
        .as("the four generations and the dead letters' partition, each with its primary key")
        .isEqualTo(5);
  }
}
