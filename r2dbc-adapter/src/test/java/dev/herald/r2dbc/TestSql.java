package dev.herald.r2dbc;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Plain SQL for tests, each statement on its own connection in autocommit. */
public final class TestSql {

  private TestSql() {}

  /**
   * Runs a statement.
   *
   * @param cf where to connect
   * @param sql the statement, with {@code $n} parameters
   * @param binds the parameters
   * @return rows affected
   */
  public static Mono<Long> execute(ConnectionFactory cf, String sql, Object... binds) {
    return Mono.usingWhen(
        cf.create(),
        c -> {
          var st = c.createStatement(sql);
          for (int i = 0; i < binds.length; i++) {
            st.bind(i, binds[i]);
          }
          return Flux.from(st.execute()).concatMap(r -> r.getRowsUpdated()).reduce(0L, Long::sum);
        },
        Connection::close);
  }

  /**
   * Runs a query and reads its first column.
   *
   * @param cf where to connect
   * @param sql the query
   * @param type the column's Java type
   * @param <T> the type
   * @return the values
   */
  public static <T> Flux<T> query(ConnectionFactory cf, String sql, Class<T> type) {
    return Flux.usingWhen(
        cf.create(),
        c ->
            Flux.from(c.createStatement(sql).execute())
                .concatMap(r -> r.map((row, m) -> row.get(0, type))),
        Connection::close);
  }
}
