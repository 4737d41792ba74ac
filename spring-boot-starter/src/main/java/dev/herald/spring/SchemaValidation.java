package dev.herald.spring;

import dev.herald.spi.TableName;
import io.r2dbc.spi.ConnectionFactory;
import java.util.ArrayList;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * {@code herald.schema.mode=validate}: checks, over the application's {@link ConnectionFactory},
 * that every object of schema version {@value #VERSION} exists for the task table, and fails
 * startup naming the missing ones.
 *
 * <p>Herald records no schema version in the database and exposes no check of its own, so the
 * objects are listed here: the tables, columns, functions (by argument types, so that a version 4
 * claim function does not pass for version 5's overload) and the indexes of a version that adds
 * nothing else, that each script creates. {@code SchemaValidationTest} fails when core's schema
 * version moves past {@value #VERSION}, so that the list follows it.
 */
final class SchemaValidation {

  /** The schema version whose objects are listed. */
  static final int VERSION = 7;

  private static final String MISSING =
      """
      SELECT o.kind, o.name
        FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS o(kind, name, detail, n)
       WHERE CASE o.kind
               WHEN 'table' THEN to_regclass(o.name) IS NULL
               WHEN 'sequence' THEN to_regclass(o.name) IS NULL
               WHEN 'index' THEN to_regclass(o.name) IS NULL
               WHEN 'function' THEN to_regprocedure(o.detail) IS NULL
               WHEN 'column' THEN NOT EXISTS (
                 SELECT 1 FROM pg_attribute a
                  WHERE a.attrelid = to_regclass(o.detail)
                    AND a.attname = substring(o.name from '[^.]+$') AND NOT a.attisdropped)
             END
       ORDER BY o.n
      """;

  private SchemaValidation() {}

  /**
   * Completes if the schema is current, else fails with a {@link HeraldStartupException} naming
   * what is missing.
   *
   * @param connectionFactory the application's connection factory
   * @param tableName the task table, as configured
   */
  static Mono<Void> check(ConnectionFactory connectionFactory, String tableName) {
    TableName table = TableName.parse(tableName == null ? TableName.DEFAULT : tableName);
    List<String[]> expected = expected(table.qualified());
    return DatabaseClient.create(connectionFactory)
        .sql(MISSING)
        .bind(0, expected.stream().map(o -> o[0]).toArray(String[]::new))
        .bind(1, expected.stream().map(o -> o[1]).toArray(String[]::new))
        .bind(2, expected.stream().map(o -> o[2]).toArray(String[]::new))
        .map(row -> row.get("kind", String.class) + " " + row.get("name", String.class))
        .all()
        .collectList()
        .flatMap(
            missing ->
                missing.isEmpty()
                    ? Mono.<Void>empty()
                    : Mono.error(
                        new HeraldStartupException(
                            "herald.schema.mode=validate: the schema of Herald's task table "
                                + table.qualified()
                                + " is not at version "
                                + VERSION
                                + "; missing: "
                                + String.join(", ", missing)
                                + ".",
                            "Migrate the schema before starting: run the scripts of"
                                + " herald-core's dev/herald/schema (V1__ to V"
                                + VERSION
                                + "__, with ${table} and ${name} replaced) with your migration"
                                + " tool, or let Herald do it with herald.schema.mode=install. If"
                                + " the table has another name, set herald.store.table-name.")));
  }

  /** Kind, name and lookup detail of each object of version {@value #VERSION}, by script. */
  static List<String[]> expected(String t) {
    List<String[]> o = new ArrayList<>();
    // V1, V4: the partitioned task table, its id sequence and the dead-letter partition.
    table(o, t);
    o.add(new String[] {"sequence", t + "_ids", t + "_ids"});
    for (String part : new String[] {"_g0", "_g1", "_g2", "_g3", "_dead"}) {
      table(o, t + part);
    }
    // V2 to V5: the functions, by the argument types the current release calls them with.
    function(o, t + "_generation", "");
    function(o, t + "_lock_tokens", "bigint[], int[], text");
    function(o, t + "_complete_many", "bigint[], int[], text");
    function(o, t + "_release", "bigint[], int[], text, int");
    function(o, t + "_extend_lease", "bigint[], int[], text, float8");
    function(o, t + "_rotate", "int");
    function(o, t + "_claim", "text[], text[], int[], text, float8, text[], boolean[]");
    function(
        o, t + "_claim_limited", "text[], text[], int[], text, float8, text[], boolean[], int[]");
    function(o, t + "_complete_many_kept", "bigint[], int[], text");
    // V5: the delivery controls.
    for (String part : new String[] {"_receivers", "_keys", "_running", "_done"}) {
      table(o, t + part);
    }
    o.add(new String[] {"column", t + ".dedupe_key", t});
    o.add(new String[] {"column", t + ".order_key", t});
    // V6: the statistics.
    function(o, t + "_stats", "text[], text[], int");
    // V7: the dedupe-key indexes (in the table's schema, as its name qualifies them).
    o.add(new String[] {"index", t + "_dedupe_idx", t + "_dedupe_idx"});
    o.add(new String[] {"index", t + "_done_key_idx", t + "_done_key_idx"});
    return o;
  }

  private static void table(List<String[]> o, String name) {
    o.add(new String[] {"table", name, name});
  }

  private static void function(List<String[]> o, String name, String arguments) {
    o.add(new String[] {"function", name + "(" + arguments + ")", name + "(" + arguments + ")"});
  }
}
