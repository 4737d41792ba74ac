package dev.herald.r2dbc.chaos;

import dev.herald.r2dbc.TestSql;
import dev.herald.testkit.TestDatabase;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Connections for the chaos suite: a pool per process, tagged so they can be found and killed. */
final class Db {

  static final String APP = "herald-chaos";

  private Db() {}

  static PostgresqlConnectionFactory raw(TestDatabase.Endpoint db, String applicationName) {
    return new PostgresqlConnectionFactory(
        PostgresqlConnectionConfiguration.builder()
            .host(db.host())
            .port(db.port())
            .database(db.database())
            .username(db.user())
            .password(db.password())
            .applicationName(applicationName)
            .connectTimeout(Duration.ofSeconds(5))
            .build());
  }

  static ConnectionPool pool(TestDatabase.Endpoint db, String applicationName, int size) {
    return new ConnectionPool(
        ConnectionPoolConfiguration.builder(raw(db, applicationName))
            .initialSize(1)
            .maxSize(size)
            .maxAcquireTime(Duration.ofSeconds(10))
            .build());
  }

  static Mono<Long> execute(ConnectionFactory cf, String sql, Object... binds) {
    return TestSql.execute(cf, sql, binds);
  }

  static <T> Flux<T> query(ConnectionFactory cf, String sql, Class<T> type) {
    return TestSql.query(cf, sql, type);
  }
}
