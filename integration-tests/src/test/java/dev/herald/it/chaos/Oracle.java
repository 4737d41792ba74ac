package dev.herald.it.chaos;

import dev.herald.fixtures.R2dbcSql;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.Locale;

/**
 * The accounting oracle: senders record each committed send in {@code <table>_sent} inside the
 * sending transaction, receivers record each delivery in {@code <table>_seen}; the verdict compares
 * the two and the task table.
 */
final class Oracle {

  /** One scenario's accounting. */
  record Verdict(
      String scenario,
      long committed,
      long rolledBack,
      long delivered,
      long duplicates,
      long lost,
      long phantoms,
      long leftInTable,
      String notes) {

    String row() {
      return String.format(
          Locale.ROOT,
          "| %s | %d | %d | %d | %d | %d | %d | %d | %s |",
          scenario,
          committed,
          rolledBack,
          delivered,
          duplicates,
          lost,
          phantoms,
          leftInTable,
          notes);
    }
  }

  final String table;
  private final ConnectionFactory cf;

  Oracle(ConnectionFactory cf, String table) {
    this.cf = cf;
    this.table = table;
  }

  String sent() {
    return table + "_sent";
  }

  String seen() {
    return table + "_seen";
  }

  void install() {
    R2dbcSql.execute(cf, "CREATE TABLE " + sent() + " (key text PRIMARY KEY)").block();
    R2dbcSql.execute(
            cf,
            "CREATE TABLE "
                + seen()
                + " (key text NOT NULL, node text NOT NULL, attempt int NOT NULL,"
                + " at timestamptz NOT NULL DEFAULT clock_timestamp())")
        .block();
  }

  long count(String sql) {
    return R2dbcSql.query(cf, sql, Long.class).blockFirst(Duration.ofSeconds(30));
  }

  long lost() {
    return count(
        "SELECT count(*) FROM "
            + sent()
            + " s WHERE NOT EXISTS (SELECT 1 FROM "
            + seen()
            + " d WHERE d.key = s.key)");
  }

  long left() {
    return count("SELECT count(*) FROM " + table);
  }

  Verdict verdict(String scenario, long rolledBack, String notes) {
    long committed = count("SELECT count(*) FROM " + sent());
    long delivered = count("SELECT count(DISTINCT key) FROM " + seen());
    long duplicates = count("SELECT count(*) - count(DISTINCT key) FROM " + seen());
    long phantoms =
        count(
            "SELECT count(DISTINCT key) FROM "
                + seen()
                + " d WHERE NOT EXISTS (SELECT 1 FROM "
                + sent()
                + " s WHERE s.key = d.key)");
    return new Verdict(
        scenario, committed, rolledBack, delivered, duplicates, lost(), phantoms, left(), notes);
  }
}
