package dev.herald.spring;

import dev.herald.fixtures.TestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;

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
   * Adds {@link #withFreshTable()} to a {@code @DynamicPropertySource} registry.
   *
   * @param registry the test context's registry
   */
  public static void register(DynamicPropertyRegistry registry) {
    for (String property : withFreshTable()) {
      int eq = property.indexOf('=');
      registry.add(property.substring(0, eq), () -> property.substring(eq + 1));
    }
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
