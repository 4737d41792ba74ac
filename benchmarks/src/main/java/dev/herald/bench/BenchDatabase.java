package dev.herald.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The PostgreSQL server of a benchmark run: the one {@code -Dherald.bench.db} or {@code
 * HERALD_BENCH_DATABASE_URL} names ({@code postgresql://user[:password]@host:port/database}), or an
 * embedded server (zonky) that the suite starts once and hands to every child JVM by URL, so that
 * every workload of one run, Herald's and the peer's, uses the same server.
 *
 * <p>Harness code only: blocking JDBC is fine here.
 */
final class BenchDatabase implements AutoCloseable {

  /** System property naming the server. */
  static final String PROPERTY = "herald.bench.db";

  /** Environment variable naming the server. */
  static final String ENV = "HERALD_BENCH_DATABASE_URL";

  /** System property: log the soak server's statements slower than this, with their plans. */
  static final String EXPLAIN_PROPERTY = "herald.bench.soak.explainSlowerThan";

  /** Set by the suite for child JVMs: "embedded" or "server". */
  static final String KIND_PROPERTY = "herald.bench.db.kind";

  /** Settings of the embedded server, as the test database uses. */
  static final String EMBEDDED_SETTINGS =
      "fsync=off, synchronous_commit=off, full_page_writes=off, max_connections=300";

  /** Settings of the embedded server of the soak: durable commits, autovacuum on. */
  static final String DURABLE_SETTINGS =
      "fsync=on, synchronous_commit=on, full_page_writes=on, autovacuum=on, max_connections=300";

  final String host;
  final int port;
  final String database;
  final String user;
  final String password;
  final boolean embeddedHere;
  private final EmbeddedPostgres embedded;
  private final boolean durable;

  private BenchDatabase(
      String host,
      int port,
      String database,
      String user,
      String password,
      EmbeddedPostgres embedded,
      boolean durable) {
    this.host = host;
    this.port = port;
    this.database = database;
    this.user = user;
    this.password = password;
    this.embedded = embedded;
    this.embeddedHere = embedded != null;
    this.durable = durable;
  }

  /**
   * The server the user named, or a newly started embedded one. Only the suite calls this.
   *
   * @return the database
   */
  static BenchDatabase startOrConnect() {
    String url = configuredUrl();
    return url != null ? parse(url) : startEmbedded(false);
  }

  /**
   * A newly started embedded server with durable commits ({@link #DURABLE_SETTINGS}): the soak's,
   * when the user named no server.
   *
   * @return the database
   */
  static BenchDatabase startDurableEmbedded() {
    return startEmbedded(true);
  }

  private static BenchDatabase startEmbedded(boolean durable) {
    String on = durable ? "on" : "off";
    try {
      EmbeddedPostgres.Builder b =
          EmbeddedPostgres.builder()
              .setServerConfig("fsync", on)
              .setServerConfig("synchronous_commit", on)
              .setServerConfig("full_page_writes", on)
              .setServerConfig("autovacuum", "on")
              .setServerConfig("max_connections", "300");
      String slower = System.getProperty(EXPLAIN_PROPERTY);
      if (durable && slower != null) {
        explainSlowStatements(b, slower);
      }
      EmbeddedPostgres pg = b.start();
      return new BenchDatabase(
          "127.0.0.1", pg.getPort(), "postgres", "postgres", "postgres", pg, durable);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
  }

  /**
   * A diagnosis aid for the soak's server: every statement slower than {@code slower} (e.g. {@code
   * 50ms}) is logged with its plan, row counts, buffers and WAL (auto_explain, without per-node
   * timing, which would slow every statement), statements inside the claim function included, as
   * are autovacuum runs, checkpoints and lock waits; the log goes to {@code pg-log} in the suite's
   * output directory.
   */
  private static void explainSlowStatements(EmbeddedPostgres.Builder b, String slower) {
    Path logs =
        Path.of(System.getProperty("herald.bench.dir", "benchmarks/target/bench"), "pg-log")
            .toAbsolutePath();
    try {
      Files.createDirectories(logs);
      // The embedded server may run in a user namespace as another user (zonky's unshare).
      Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxrwxrwx"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + logs, e);
    }
    b.setServerConfig("session_preload_libraries", "auto_explain")
        .setServerConfig("auto_explain.log_min_duration", slower)
        .setServerConfig("auto_explain.log_analyze", "on")
        .setServerConfig("auto_explain.log_timing", "off")
        .setServerConfig("auto_explain.log_buffers", "on")
        .setServerConfig("auto_explain.log_wal", "on")
        .setServerConfig("auto_explain.log_nested_statements", "on")
        .setServerConfig("log_autovacuum_min_duration", "0")
        .setServerConfig("log_checkpoints", "on")
        .setServerConfig("log_lock_waits", "on")
        .setServerConfig("logging_collector", "on")
        .setServerConfig("log_directory", logs.toString())
        .setServerConfig("log_filename", "postgresql.log");
  }

  /**
   * The server a child JVM was handed by the suite.
   *
   * @return the database
   * @throws IllegalStateException if none was named
   */
  static BenchDatabase fromProperty() {
    String url = System.getProperty(PROPERTY);
    if (url == null || url.isBlank()) {
      throw new IllegalStateException("-D" + PROPERTY + " is not set");
    }
    return parse(url);
  }

  private static String configuredUrl() {
    String url = System.getProperty(PROPERTY);
    if (url == null || url.isBlank()) {
      url = System.getenv(ENV);
    }
    return url == null || url.isBlank() ? null : url;
  }

  static BenchDatabase parse(String url) {
    URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
    String userInfo = uri.getUserInfo() == null ? "postgres" : uri.getUserInfo();
    int colon = userInfo.indexOf(':');
    String user = colon >= 0 ? userInfo.substring(0, colon) : userInfo;
    String password = colon >= 0 ? userInfo.substring(colon + 1) : "";
    String db =
        uri.getPath() == null || uri.getPath().length() <= 1 ? user : uri.getPath().substring(1);
    return new BenchDatabase(
        uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), db, user, password, null, false);
  }

  /**
   * This server as a URL for child JVMs.
   *
   * @return {@code postgresql://user:password@host:port/database}
   */
  String url() {
    String info = enc(user) + (password.isEmpty() ? "" : ":" + enc(password));
    return "postgresql://" + info + "@" + host + ":" + port + "/" + database;
  }

  /**
   * Where the run's figures come from, without the password.
   *
   * @return a description
   */
  String describe() {
    String kind = embeddedHere ? kind() : System.getProperty(KIND_PROPERTY, "server");
    return switch (kind) {
      case "embedded" -> "embedded PostgreSQL (zonky, " + EMBEDDED_SETTINGS + ")";
      case "embedded-durable" -> "embedded PostgreSQL (zonky, " + DURABLE_SETTINGS + ")";
      default -> "PostgreSQL server " + user + "@" + host + ":" + port + "/" + database;
    };
  }

  /**
   * What this server is, for child JVMs ({@link #KIND_PROPERTY}).
   *
   * @return "embedded", "embedded-durable" or "server"
   */
  String kind() {
    return !embeddedHere ? "server" : durable ? "embedded-durable" : "embedded";
  }

  String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  Properties jdbcProperties(String applicationName) {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("ApplicationName", applicationName);
    return p;
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), jdbcProperties("herald-bench-harness"));
  }

  /** Runs statements in autocommit. */
  void execute(String... sql) {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("harness SQL failed: " + e.getMessage(), e);
    }
  }

  /** A single long from a query. */
  long queryLong(String sql) {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("harness SQL failed: " + e.getMessage(), e);
    }
  }

  /** A single string from a query. */
  String queryString(String sql) {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException("harness SQL failed: " + e.getMessage(), e);
    }
  }

  /**
   * The postmaster's pid when the server runs on this machine (its CPU time is then measured), or
   * -1: the parent of a backend that {@code /proc} shows as a postgres process.
   *
   * @return the pid or -1
   */
  long postmasterPid() {
    if (!isLocal()) {
      return -1;
    }
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      // Read while the backend lives: its parent is the postmaster.
      long parent = Cpu.parentOf(rs.getLong(1));
      return parent > 0 && Cpu.isPostgres(parent) ? parent : -1;
    } catch (SQLException e) {
      return -1;
    }
  }

  private boolean isLocal() {
    try {
      InetAddress a = InetAddress.getByName(host);
      return a.isLoopbackAddress() || a.isAnyLocalAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public void close() {
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
