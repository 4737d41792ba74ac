package dev.herald.examples.orders;

import dev.herald.examples.domain.DemoDatabase;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The database beans. There is exactly one {@link ConnectionFactory}: the pool that the transaction
 * manager, the {@link DatabaseClient} and Herald's task store all share, which is what lets {@code
 * sendReliable} join the transaction of a {@link TransactionalOperator}.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

  private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

  /**
   * The server: {@code HERALD_DATABASE_URL} (the property {@code herald.database.url}) if set, else
   * an embedded PostgreSQL, stopped after the pool is closed.
   *
   * @param url the URL, or empty
   * @return the server
   */
  @Bean(destroyMethod = "close")
  DemoDatabase demoDatabase(@Value("${herald.database.url:}") String url) {
    DemoDatabase db = url.isBlank() ? DemoDatabase.startEmbedded() : DemoDatabase.fromUrl(url);
    log.info("Using PostgreSQL at {}", db.describe());
    return db;
  }

  /**
   * The connection pool. Disposed (after Herald has closed, see {@link HeraldLifecycle}) before the
   * database it depends on is stopped.
   *
   * @param db the server
   * @return an r2dbc-pool over r2dbc-postgresql
   */
  @Bean(destroyMethod = "dispose")
  ConnectionPool connectionFactory(DemoDatabase db) {
    PostgresqlConnectionConfiguration.Builder config =
        PostgresqlConnectionConfiguration.builder()
            .host(db.host())
            .port(db.port())
            .username(db.user())
            .database(db.database())
            .applicationName("herald-example-webflux-orders");
    if (db.password() != null) {
      config.password(db.password());
    }
    return new ConnectionPool(
        ConnectionPoolConfiguration.builder(new PostgresqlConnectionFactory(config.build()))
            .initialSize(2)
            .maxSize(10)
            .maxIdleTime(Duration.ofMinutes(5))
            .build());
  }

  /**
   * The reactive transaction manager on the shared pool.
   *
   * @param connectionFactory the pool
   * @return the transaction manager
   */
  @Bean
  R2dbcTransactionManager transactionManager(ConnectionFactory connectionFactory) {
    return new R2dbcTransactionManager(connectionFactory);
  }

  /**
   * Transactions for business code and receivers.
   *
   * @param transactionManager the transaction manager
   * @return the operator
   */
  @Bean
  TransactionalOperator transactionalOperator(ReactiveTransactionManager transactionManager) {
    return TransactionalOperator.create(transactionManager);
  }

  /**
   * SQL on the shared pool; inside a {@link TransactionalOperator} it uses the transaction's
   * connection.
   *
   * @param connectionFactory the pool
   * @return the client
   */
  @Bean
  DatabaseClient databaseClient(ConnectionFactory connectionFactory) {
    return DatabaseClient.create(connectionFactory);
  }
}
