package dev.herald.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.serializer.Serializer;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.logging.Logger;
import javax.sql.DataSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The peer, db-scheduler 16.7.1, configured as its documentation recommends for throughput: the
 * {@code lock-and-fetch} polling strategy ({@code SELECT … FOR UPDATE SKIP LOCKED}, PostgreSQL
 * only), with the thread count and fetch limits of its published benchmark ("20 threads, lower 4.0,
 * upper 20.0", its best lock-and-fetch row), and a JSON serializer so that its task data is the
 * same JSON as Herald's payload. HikariCP provides the connections.
 */
final class PeerSetup {

  /** Executor threads: its benchmark's best lock-and-fetch configuration. */
  static final int THREADS = 20;

  /** Fetch again when at most {@code LOWER * threads} picked executions are left. */
  static final double LOWER = 4.0;

  /** Fetch up to {@code UPPER * threads} executions. */
  static final double UPPER = 20.0;

  /** Polling interval: the fallback, equal to Herald's default, since commits trigger checks. */
  static final Duration POLL = Duration.ofSeconds(1);

  static final String DESCRIPTION =
      "db-scheduler 16.7.1, pollUsingLockAndFetch("
          + LOWER
          + ", "
          + UPPER
          + "), "
          + THREADS
          + " threads, pollingInterval "
          + POLL.toMillis()
          + " ms, HikariCP "
          + (THREADS + 4)
          + " connections";

  private PeerSetup() {}

  static HikariDataSource dataSource(BenchDatabase db, int size) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(db.jdbcUrl());
    c.setUsername(db.user);
    c.setPassword(db.password);
    c.setMaximumPoolSize(size);
    c.setMinimumIdle(size);
    c.setPoolName("peer");
    c.addDataSourceProperty("ApplicationName", "db-scheduler-bench");
    return new HikariDataSource(c);
  }

  static SchedulerBuilder builder(DataSource ds, OneTimeTask<OrderPlaced> task) {
    return Scheduler.create(ds, task)
        .threads(THREADS)
        .pollUsingLockAndFetch(LOWER, UPPER)
        .pollingInterval(POLL)
        .serializer(new JsonSerializer())
        .schedulerName(new SchedulerName.Fixed("bench"));
  }

  /** Task data as JSON, with the same Jackson configuration as Herald's default codec. */
  static final class JsonSerializer implements Serializer {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public byte[] serialize(Object data) {
      return data == null ? null : JSON.writeValueAsBytes(data);
    }

    @Override
    public <T> T deserialize(Class<T> type, byte[] bytes) {
      return bytes == null ? null : JSON.readValue(bytes, type);
    }
  }

  /**
   * A data source that hands out the calling thread's open transaction when one is bound (never
   * closing it), as Spring's {@code TransactionAwareDataSourceProxy} does: the documented way to
   * make db-scheduler's {@code schedule(…)} part of the caller's transaction.
   */
  static final class TransactionBound implements DataSource {
    private final DataSource delegate;
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();

    TransactionBound(DataSource delegate) {
      this.delegate = delegate;
    }

    void bind(Connection c) {
      bound.set(c);
    }

    void unbind() {
      bound.remove();
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection c = bound.get();
      return c == null ? delegate.getConnection() : nonClosing(c);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      return getConnection();
    }

    private static Connection nonClosing(Connection c) {
      return (Connection)
          Proxy.newProxyInstance(
              Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> {
                if (method.getName().equals("close")) {
                  return null;
                }
                try {
                  return method.invoke(c, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
      return delegate.isWrapperFor(iface);
    }
  }
}
