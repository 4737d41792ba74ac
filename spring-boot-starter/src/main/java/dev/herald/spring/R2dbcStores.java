package dev.herald.spring;

import dev.herald.r2dbc.R2dbcTaskStore;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;

/** Builds the auto-configured {@link R2dbcTaskStore} and checks it against the transactions. */
final class R2dbcStores {

  // Pools and proxies (r2dbc-pool, r2dbc-proxy for observations) rarely nest deeper.
  private static final int MAX_WRAPPERS = 8;

  private R2dbcStores() {}

  /**
   * The task store on the application's connection factory, with {@code herald.store.*}.
   *
   * @throws HeraldStartupException if no connection for {@code LISTEN} can be found
   */
  static R2dbcTaskStore create(ConnectionFactory connectionFactory, HeraldProperties.Store p) {
    R2dbcTaskStore.Builder builder =
        OptionsMapping.store(
            p, Problems.unexpected("herald.store"), R2dbcTaskStore.builder(connectionFactory));
    // The store derives the LISTEN connection's factory from a pool or a PostgreSQL factory; an
    // observed (proxied) factory wraps them, so look through the wrappers for it.
    ConnectionFactory postgres = unwrapPostgres(connectionFactory);
    if (postgres != null && postgres != connectionFactory) {
      builder.listenerConnectionFactory(postgres);
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new HeraldStartupException(
          "Herald's task store cannot listen for other processes' notifications: " + e.getMessage(),
          "Set herald.store.listen=false (other processes' sends are then found by polling), or"
              + " define an R2dbcTaskStore bean with R2dbcTaskStore.builder(connectionFactory)"
              + ".listenerConnectionFactory(aNonPooledPostgresqlConnectionFactory).",
          e);
    }
  }

  /**
   * Fails unless an {@link R2dbcTransactionManager} of the application, if it has any, manages the
   * store's very connection factory: {@code sendReliable} finds the caller's transaction by that
   * instance, so under another one every send in a {@code @Transactional} method would fail with
   * {@code NoTransactionException}.
   *
   * @param transactionManagers the application's, by bean name
   * @throws HeraldStartupException if none of them uses {@code connectionFactory}
   */
  static void checkTransactionManagers(
      ConnectionFactory connectionFactory,
      String connectionFactoryName,
      Map<String, R2dbcTransactionManager> transactionManagers) {
    if (transactionManagers.isEmpty()
        || transactionManagers.values().stream()
            .anyMatch(tm -> tm.getConnectionFactory() == connectionFactory)) {
      return;
    }
    String managers =
        transactionManagers.entrySet().stream()
            .map(e -> "'" + e.getKey() + "' on " + identity(e.getValue().getConnectionFactory()))
            .collect(Collectors.joining(", "));
    throw new HeraldStartupException(
        "Herald's task store is on the ConnectionFactory bean '"
            + connectionFactoryName
            + "' ("
            + identity(connectionFactory)
            + "), but no R2dbcTransactionManager manages that one: "
            + managers
            + ". Herald finds the caller's transaction by the very ConnectionFactory instance, so"
            + " every sendReliable in a @Transactional method would fail with"
            + " NoTransactionException.",
        "Build the R2dbcTransactionManager on the ConnectionFactory bean '"
            + connectionFactoryName
            + "' (or make the transaction manager's factory the primary ConnectionFactory bean),"
            + " or define your own R2dbcTaskStore bean on the transaction manager's"
            + " ConnectionFactory.");
  }

  private static String identity(Object o) {
    return o.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(o));
  }

  private static ConnectionFactory unwrapPostgres(ConnectionFactory factory) {
    ConnectionFactory f = factory;
    for (int i = 0; i < MAX_WRAPPERS && f != null; i++) {
      if (f instanceof PostgresqlConnectionFactory) {
        return f;
      }
      f = f instanceof Wrapped<?> w && w.unwrap() instanceof ConnectionFactory inner ? inner : null;
    }
    return null;
  }
}
