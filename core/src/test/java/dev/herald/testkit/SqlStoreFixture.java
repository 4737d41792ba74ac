package dev.herald.testkit;

import dev.herald.spi.TableName;
import dev.herald.spi.TaskStore;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * What the kit needs beyond {@link StoreFixture} from a store backed by PostgreSQL: its table, SQL
 * of its own, and its listener's connection. Groups that check these skip stores without them.
 */
public interface SqlStoreFixture extends StoreFixture {

  /**
   * The fixture of a test that needs PostgreSQL, or an aborted (skipped) test.
   *
   * @param fixture the test's fixture
   * @return it, as a SQL fixture
   */
  static SqlStoreFixture require(StoreFixture fixture) {
    Assumptions.assumeTrue(
        fixture instanceof SqlStoreFixture, "needs a store backed by PostgreSQL");
    return (SqlStoreFixture) fixture;
  }

  /**
   * The test's task table.
   *
   * @return its name, as given to the store
   */
  String table();

  /**
   * Runs a statement on the test's server, each on a connection of its own in autocommit.
   *
   * @param sql the statement
   * @param type the Java type of its first column
   * @param <T> that type
   * @return the first column of every row
   */
  <T> List<T> column(String sql, Class<T> type);

  /**
   * Whether the store's listener quotes the channel in its {@code LISTEN} (Vert.x's PgSubscriber
   * does, r2dbc-postgresql does not).
   *
   * @return true if quoted
   */
  boolean quotesChannel();

  /**
   * Runs a query whose first column of its first row is a number.
   *
   * @param sql the query
   * @return that number
   */
  default long count(String sql) {
    return column(sql, Long.class).get(0);
  }

  /**
   * The backends listening on this table's channel, as {@code pg_stat_activity} shows them.
   *
   * @return their process ids
   */
  default List<Integer> listenerPids() {
    String channel = TableName.parse(table()).channel();
    String listen = "LISTEN " + (quotesChannel() ? '"' + channel + '"' : channel);
    return column("SELECT pid FROM pg_stat_activity WHERE query = '" + listen + "'", Integer.class);
  }

  /**
   * Terminates a backend, as an administrator or a failed network would.
   *
   * @param pid the backend
   */
  default void terminateBackend(int pid) {
    column("SELECT pg_terminate_backend(" + pid + ")", Boolean.class);
  }

  /**
   * The operations of another store on this table that does not listen for wakeups.
   *
   * @return the operations
   */
  TaskStore storeWithoutListener();
}
