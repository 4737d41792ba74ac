package dev.herald.spring;

import dev.herald.fixtures.TestDatabase;

/** {@code spring.r2dbc.*} for the test PostgreSQL, and a task table no other test uses. */
public final class TestDatabaseProperties {

  private static final String TABLE_NAME = "herald.store.table-name";

  private TestDatabaseProperties() {}

  /**
   * @return properties for the test database and a fresh Herald table
   */
  public static String[] withFreshTable() {
    TestDatabase.Endpoint db = TestDatabase.endpoint();
    return new String[] {
      "spring.r2dbc.url=r2dbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.database(),
      "spring.r2dbc.username=" + db.user(),
      "spring.r2dbc.password=" + db.password(),
      TABLE_NAME + "=" + TestDatabase.freshTable()
    };
  }

  /**
   * @param properties from {@link #withFreshTable()}
   * @return the table they name
   */
  public static String tableName(String[] properties) {
    for (String p : properties) {
      if (p.startsWith(TABLE_NAME + "=")) {
        return p.substring(TABLE_NAME.length() + 1);
      }
    }
    throw new IllegalArgumentException("no " + TABLE_NAME);
  }
}
