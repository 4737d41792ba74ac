package dev.herald.testkit;

import dev.herald.Herald;
import dev.herald.HeraldOptions;
import dev.herald.spi.TaskListParams;
import dev.herald.spi.TaskListRow;
import dev.herald.spi.TaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What the conformance kit needs from a store under test. One fixture serves one test: its store
 * addresses a fresh, empty table.
 */
public interface StoreFixture extends AutoCloseable {

  /**
   * The store under test, on this test's table.
   *
   * @return the store
   */
  TaskStore store();

  /**
   * Runs {@code work} in a transaction of the store's own kind (the caller's transaction that
   * {@code sendReliable} must find): commit on completion, rollback on error.
   *
   * @param work the sending code
   * @param <T> result type
   * @return the result after commit
   */
  <T> Mono<T> inTransaction(Mono<T> work);

  /**
   * Drops the schema functions of {@code table}, which do not depend on the table and would outlive
   * it.
   *
   * @param table the qualified table name
   * @return one DROP FUNCTION statement
   */
  static String dropFunctions(String table) {
    return "DROP FUNCTION IF EXISTS "
        + String.join(
            ", ",
            Stream.of(
                    // The claim has two overloads (versions 4 and 5): each named by its arguments.
                    "claim(text[], text[], int[], text, float8, text[])",
                    "claim(text[], text[], int[], text, float8, text[], boolean[])",
                    "claim_limited",
                    "lock_tokens",
                    "complete_many",
                    "complete_many_kept",
                    "release",
                    "extend_lease",
                    "generation",
                    "rotate",
                    "stats")
                .map(f -> table + "_" + f)
                .toList());
  }

  /**
   * The tables a fixture drops after its test: the task table (its partitions and sequence with it)
   * and the tables beside it (receiver registry, pending keys, fleet-wide running list, kept
   * completed tasks).
   *
   * @param table the qualified table name
   * @return one DROP TABLE statement
   */
  static String dropTables(String table) {
    return "DROP TABLE IF EXISTS "
        + String.join(
            ", ",
            Stream.of("", "_receivers", "_keys", "_running", "_done", "_test_clock")
                .map(suffix -> table + suffix)
                .toList());
  }

  /**
   * Whether the store keeps tasks in generations that {@link TaskStore#taskRotate} truncates.
   *
   * @return true for the PostgreSQL stores
   */
  default boolean rotates() {
    return false;
  }

  /**
   * Makes the store write the next generation from now on, as the server's clock does every 30 s.
   * Stores without generations do nothing.
   *
   * @return completes when later writes go to the next generation
   */
  default Mono<Void> nextGeneration() {
    return Mono.empty();
  }

  /**
   * Statements, run in order, that replace the clock of a PostgreSQL store's generations with a
   * counter of the test's own and advance it by one.
   *
   * @param table the qualified table name
   * @return the statements
   */
  static List<String> nextGenerationStatements(String table) {
    String clock = table + "_test_clock";
    return List.of(
        "CREATE TABLE IF NOT EXISTS " + clock + " (g smallint NOT NULL)",
        "INSERT INTO "
            + clock
            + " SELECT "
            + table
            + "_generation() WHERE NOT EXISTS (SELECT 1 FROM "
            + clock
            + ")",
        "UPDATE " + clock + " SET g = (g + 1) % 4",
        "CREATE OR REPLACE FUNCTION "
            + table
            + "_generation() RETURNS smallint LANGUAGE sql VOLATILE AS 'SELECT g FROM "
            + clock
            + "'");
  }

  /**
   * Stores a task bypassing the codec (bad input tests).
   *
   * @param signal signal name
   * @param receiver receiver name
   * @param payloadJson stored payload text (valid JSON)
   * @return completes when committed
   */
  Mono<Void> insertRaw(String signal, String receiver, String payloadJson);

  /**
   * Rows whose lease is held by {@code owner} and not expired.
   *
   * @param owner a node id
   * @return the count
   */
  Mono<Long> leasedBy(String owner);

  /**
   * Heralds created by {@link #herald}, closed after the test.
   *
   * @return the list
   */
  List<Herald> heralds();

  /**
   * A Herald over this fixture's store with test-friendly options: a short poll interval and a
   * short lease, adjusted by {@code tune}.
   *
   * @param tune changes to the options
   * @return a built, not yet started instance
   */
  default Herald herald(UnaryOperator<HeraldOptions.Builder> tune) {
    return herald(store(), tune);
  }

  /**
   * A Herald over another view of this fixture's table (such as a {@link ControlledStore} around
   * {@link #store()}), with the test-friendly options adjusted by {@code tune}.
   *
   * @param store the store the Herald uses
   * @param tune changes to the options
   * @return a built, not yet started instance
   */
  default Herald herald(TaskStore store, UnaryOperator<HeraldOptions.Builder> tune) {
    HeraldOptions.Builder options =
        HeraldOptions.builder()
            .pollInterval(Duration.ofMillis(200))
            .lease(Duration.ofSeconds(3))
            .shutdownGrace(Duration.ofSeconds(5));
    Herald herald = Herald.builder(KitStore.of(store)).options(tune.apply(options).build()).build();
    heralds().add(herald);
    return herald;
  }

  /**
   * A Herald with the default test options.
   *
   * @return a built, not yet started instance
   */
  default Herald herald() {
    return herald(UnaryOperator.identity());
  }

  /**
   * All stored tasks (ready, leased, dead) by id.
   *
   * @return the tasks
   */
  default Flux<TaskListRow> tasks() {
    return Flux.concat(state("ready"), state("dead"));
  }

  private Flux<TaskListRow> state(String state) {
    return store().taskList(new TaskListParams(state, null, null, 0, 1_000_000));
  }

  /** Closes the Heralds this test created. */
  @Override
  default void close() {
    List<Herald> all = new ArrayList<>(heralds());
    heralds().clear();
    Flux.fromIterable(all).flatMap(Herald::close).then().block(Duration.ofSeconds(30));
  }
}
