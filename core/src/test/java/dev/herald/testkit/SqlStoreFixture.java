package dev.herald.testkit;

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
   * Runs a query whose first column of its first row is a number.
   *
   * @param sql the query
   * @return that number
   */
  long count(String sql);

  /**
   * The backends listening on this table's channel, as {@code pg_stat_activity} shows them.
   *
   * @return their process ids
   */
  List<Integer> listenerPids();

  /**
   * Terminates a backend, as an administrator or a failed network would.
   *
   * @param pid the backend
   */
  void terminateBackend(int pid);

  /**
   * The operations of another store on this table that does not listen for wakeups.
   *
   * @return the operations
   */
  TaskStore storeWithoutListener();
}
